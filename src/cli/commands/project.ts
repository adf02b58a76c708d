/**
 * `seqlab project create|info`: make a project file, or describe one, straight from the store. The CLI
 * names files by path (the user typed them), so these commands do not go through file references, and
 * `info` opens the project read-only: describing a file never changes it.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type { Command } from 'commander'
import { ProjectStore } from '../../app/store/project-store'
import { namingFile, report, type JsonOption } from '../output'
import type { CliContext } from '../context'

export interface ProjectCreated {
  name: string
  file: string
  schemaVersion: number
  createdAt: string
  updatedAt: string
  createdBy: string
}

export interface ProjectInfo extends ProjectCreated {
  counts: { datasets: number; splits: number; experiments: number }
  sizeBytes: number
}

export function createProject(file: string, name: string, appVersion: string): ProjectCreated {
  const abs = path.resolve(file)
  return namingFile(file, () => {
    fs.mkdirSync(path.dirname(abs), { recursive: true })
    const store = ProjectStore.create(abs, { name, appVersion })
    try {
      return { ...store.meta(), file: abs, schemaVersion: store.schemaVersion() }
    } finally {
      store.close()
    }
  })
}

export function projectInfo(file: string, appVersion: string): ProjectInfo {
  const abs = path.resolve(file)
  return namingFile(file, () => {
    const store = ProjectStore.open(abs, { readonly: true, appVersion })
    try {
      return {
        ...store.meta(),
        file: abs,
        schemaVersion: store.schemaVersion(),
        counts: store.counts(),
        sizeBytes: fs.statSync(abs).size,
      }
    } finally {
      store.close()
    }
  })
}

function describe(p: ProjectCreated | ProjectInfo): string[] {
  const lines = [
    `Project     ${p.name}`,
    `File        ${p.file}`,
    `Schema      version ${p.schemaVersion}`,
    `Created     ${p.createdAt} (SeqLab ${p.createdBy})`,
    `Updated     ${p.updatedAt}`,
  ]
  if ('counts' in p) {
    lines.push(
      `Contents    ${p.counts.datasets} data set(s), ${p.counts.splits} split(s), ${p.counts.experiments} experiment(s)`,
      `Size        ${p.sizeBytes} bytes`,
    )
  }
  return lines
}

export function registerProjectCommands(program: Command, ctx: CliContext): void {
  const project = program.command('project').description('Create and inspect project files (.seqlab)')

  project
    .command('create')
    .description('Create a new, empty project file')
    .argument('<file>', 'the project file to create (e.g. jund-chr22.seqlab)')
    .requiredOption('--name <name>', 'the project name shown in the app')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: JsonOption & { name: string }) =>
      ctx.run(opts, () => report(ctx.output, opts, createProject(file, opts.name, ctx.version), describe)),
    )

  project
    .command('info')
    .description('Describe a project file: name, schema version, contents, size')
    .argument('<file>', 'the project file')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: JsonOption) =>
      ctx.run(opts, () => report(ctx.output, opts, projectInfo(file, ctx.version), describe)),
    )
}

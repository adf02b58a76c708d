import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkFile, findLayerViolations, listSourceFiles } from '../support/layers'

const root = path.resolve(__dirname, '../..')

describe('layering (DESIGN.md: each layer imports only the ones below it)', () => {
  it('holds for every source file', () => {
    expect(listSourceFiles(root).length).toBeGreaterThan(10)
    const violations = findLayerViolations(root).map((v) => `${v.file}:${v.line} ${v.specifier}: ${v.reason}`)
    expect(violations).toEqual([])
  })

  it('catches core importing Electron, SQLite, Vue or the file system', () => {
    const text = [
      "import { app } from 'electron'",
      "import Database from 'better-sqlite3'",
      "import { ref } from 'vue'",
      "import { readFileSync } from 'node:fs'",
      "const x = require('fs')",
    ].join('\n')
    const found = checkFile('src/core/formats/fasta.ts', text).map((v) => [v.line, v.specifier])
    expect(found).toEqual([
      [1, 'electron'],
      [2, 'better-sqlite3'],
      [3, 'vue'],
      [4, 'node:fs'],
      [5, 'fs'],
    ])
  })

  it('catches a lower layer importing a higher one, also through dynamic import', () => {
    expect(checkFile('src/core/a.ts', "import { openProject } from '../app/store/project'")).toHaveLength(1)
    expect(checkFile('src/app/a.ts', "export { x } from '../server/http'")).toHaveLength(1)
    expect(checkFile('src/app/a.ts', "const m = await import('../cli/index')")).toHaveLength(1)
    expect(checkFile('src/app/a.ts', "import { dispatch } from './services/dispatch'")).toHaveLength(0)
    expect(checkFile('src/cli/a.ts', "import { startServer } from '../server/http'")).toHaveLength(0)
  })

  it('lets the renderer import only types from the contract, and reads .vue scripts', () => {
    expect(checkFile('src/renderer/src/api.ts', "import type { SeqLabApi } from '../../shared/contract'")).toEqual([])
    expect(checkFile('src/renderer/src/api.ts', "import { calls } from '../../shared/contract'")).toHaveLength(1)
    expect(checkFile('src/renderer/src/api.ts', "import { formatInputError } from '../../shared/errors'")).toEqual([])
    const vue = "<template><div/></template>\n<script setup lang=\"ts\">\nimport Database from 'better-sqlite3'\n</script>\n"
    expect(checkFile('src/renderer/src/App.vue', vue)).toEqual([
      expect.objectContaining({ line: 3, specifier: 'better-sqlite3' }),
    ])
  })
})

import Ajv from 'ajv'
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import { minimatch } from 'minimatch'
import { beforeAll, describe, expect, it } from 'vitest'

// electron-builder cannot run here (no Electron binary, no internet), so its configuration is checked
// statically against the schema electron-builder itself validates with.
const root = path.resolve(__dirname, '../..')
const requireHere = createRequire(__filename)
const yaml = requireHere('js-yaml') as { load(text: string): unknown }

type Target = { target: string; arch?: string[] }
interface BuilderConfig {
  appId: string
  productName: string
  files: string[]
  asarUnpack: string[]
  npmRebuild: boolean
  icon: string
  fileAssociations: { ext: string; name?: string }[]
  win: { target: Target[] }
  mac: { target: Target[] }
  linux: { target: Target[] }
  directories: { output: string; buildResources: string }
}

const load = (): BuilderConfig =>
  yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig

describe('electron-builder.yml', () => {
  let validate: ReturnType<Ajv['compile']>
  let config: BuilderConfig

  beforeAll(() => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    )
    validate = new Ajv({ strict: false, allErrors: true }).compile(schema)
    config = load()
  })

  it("is valid against electron-builder's own schema", () => {
    const ok = validate(config)
    expect(validate.errors ?? []).toEqual([])
    expect(ok).toBe(true)
  })

  it('would be rejected by that schema with a misspelt or malformed setting (the check has teeth)', () => {
    expect(validate({ ...config, npmRebuilt: true })).toBe(false)
    expect(validate({ ...config, fileAssociations: [{ name: 'SeqLab project' }] })).toBe(false)
    expect(validate({ ...config, npmRebuild: 'yes' })).toBe(false)
  })

  it('names the app and packs the built bundles', () => {
    expect(config.appId).toBe('org.seqlab.app')
    expect(config.productName).toBe('SeqLab')
    expect(config.files).toEqual(expect.arrayContaining(['out/**', 'package.json']))
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))
    expect(minimatch(pkg.main.replace(/^\.\//, ''), 'out/**')).toBe(true)
  })

  it("unpacks better-sqlite3's native module and the wasm backend's binaries from the asar", () => {
    const unpacked = (file: string) => config.asarUnpack.some((glob) => minimatch(file, glob, { dot: true }))
    const native = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'
    expect(fs.existsSync(path.join(root, native))).toBe(true)
    expect(unpacked(native)).toBe(true)
    const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist'
    const wasmFiles = fs.readdirSync(path.join(root, wasmDir)).filter((f) => f.endsWith('.wasm'))
    expect(wasmFiles.length).toBeGreaterThanOrEqual(3)
    for (const f of wasmFiles) expect(unpacked(`${wasmDir}/${f}`)).toBe(true)
    expect(unpacked('node_modules/zod/index.js')).toBe(false)
  })

  it('rebuilds native modules for Electron before packaging', () => {
    expect(config.npmRebuild).toBe(true)
  })

  it('targets an NSIS installer, a DMG, an AppImage and a deb', () => {
    const targets = (t: Target[]) => t.map((x) => x.target)
    expect(targets(config.win.target)).toEqual(['nsis'])
    expect(targets(config.mac.target)).toEqual(['dmg'])
    expect(targets(config.linux.target).sort()).toEqual(['AppImage', 'deb'])
  })

  it('opens .seqlab project files, and has an icon large enough for every platform', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'seqlab' })])
    const png = fs.readFileSync(path.join(root, config.icon))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)]
    expect(Math.min(width, height)).toBeGreaterThanOrEqual(512)
  })
})

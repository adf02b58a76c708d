import { describe, expect, it } from 'vitest'
import { defaultProjectsDir, osAppDataDir, resolveAppDataDir } from '../../src/app/paths'

describe('app paths', () => {
  it('follows each OS convention for the app-data folder', () => {
    expect(osAppDataDir({ platform: 'linux', env: {}, home: '/home/ana' })).toBe('/home/ana/.config/SeqLab')
    expect(osAppDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/ana' })).toBe(
      '/cfg/SeqLab',
    )
    expect(osAppDataDir({ platform: 'darwin', env: {}, home: '/Users/ana' })).toBe(
      '/Users/ana/Library/Application Support/SeqLab',
    )
    expect(
      osAppDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' },
        home: 'C:\\Users\\ana',
      }),
    ).toBe('C:\\Users\\ana\\AppData\\Roaming\\SeqLab')
  })

  it('prefers an explicit folder, then $SEQLAB_APP_DATA, then the OS default', () => {
    const ctx = { platform: 'linux' as const, env: { SEQLAB_APP_DATA: '/data/seqlab' }, home: '/home/ana' }
    expect(resolveAppDataDir('/explicit', ctx)).toBe('/explicit')
    expect(resolveAppDataDir(undefined, ctx)).toBe('/data/seqlab')
    expect(resolveAppDataDir(undefined, { ...ctx, env: {} })).toBe('/home/ana/.config/SeqLab')
  })

  it('puts new projects under Documents', () => {
    expect(defaultProjectsDir({ platform: 'linux', env: {}, home: '/home/ana' })).toBe(
      '/home/ana/Documents/SeqLab',
    )
  })
})

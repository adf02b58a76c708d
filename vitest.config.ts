import { defineConfig } from 'vitest/config'

// Unit and integration tests: plain Node, no browser, no Electron.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})

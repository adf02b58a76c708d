import { defineConfig } from 'vitest/config'

// End-to-end: the built renderer in Debian's Chromium (playwright-core) against the web bridge.
// Run through `npm run test:e2e`, which builds first.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})

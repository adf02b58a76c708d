// ESLint flat config: TypeScript (type-aware rules kept light for speed), Vue, Prettier compatibility,
// and package-level layering guards (the full layer matrix is test/unit/layering.test.ts).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

const uiPackages = ['vue', 'vue-router', 'pinia', 'vue-i18n', 'naive-ui', 'echarts', 'vue-echarts']
const restrict = (packages, why) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: packages.flatMap((p) => [p, `${p}/*`]), message: why }] },
  ],
})

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**', 'resources/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...restrict(['electron', 'better-sqlite3', '@tensorflow', 'zod', 'node:*', 'fs', 'path'], 'The renderer talks to the services only through the API client.'),
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src/core/**'],
    rules: restrict(
      ['electron', 'better-sqlite3', 'ws', 'commander', 'node:fs', 'fs', 'node:child_process', ...uiPackages],
      'src/core is the pure science layer: no Electron, SQLite, DOM or file system (DESIGN.md).',
    ),
  },
  {
    files: ['src/app/**', 'src/server/**', 'src/cli/**'],
    // ECharts is allowed: src/app/reports renders the report's charts server-side (SSR, SVG), without a DOM.
    rules: restrict(
      ['electron', ...uiPackages.filter((p) => p !== 'echarts')],
      'Plain Node layers: no Electron, no UI (DESIGN.md).',
    ),
  },
  {
    files: ['src/shared/**'],
    rules: restrict(['electron', 'better-sqlite3', '@tensorflow', 'node:*', ...uiPackages], 'The contract is dependency-free but for zod.'),
  },
  {
    files: ['**/*.cjs', 'bin/**', 'scripts/**'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  prettier,
)

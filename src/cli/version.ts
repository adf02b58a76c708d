/**
 * The app version. The CLI bundle gets it from package.json at build time (`scripts/build-cli.mjs`
 * defines `__SEQLAB_VERSION__`); unbundled (tests run the sources) it reads as a development version.
 */
declare const __SEQLAB_VERSION__: string | undefined

export const APP_VERSION: string = typeof __SEQLAB_VERSION__ === 'string' ? __SEQLAB_VERSION__ : '0.0.0-dev'

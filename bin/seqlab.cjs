#!/usr/bin/env node
/**
 * The `seqlab` command. Checks the runtime first, so a wrong Node or an unbuilt native module gives one
 * plain sentence instead of a stack trace, then runs the bundled CLI (out/cli/seqlab.cjs).
 */
'use strict'
const fs = require('node:fs')
const path = require('node:path')

function fail(message) {
  process.stderr.write(message + '\n')
  process.exit(1)
}

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 19)) {
  fail(`SeqLab needs Node.js 20.19 or newer; this is Node.js ${process.versions.node}.`)
}

try {
  // The native module loads on first use, so open a database to really test it.
  const Database = require('better-sqlite3')
  new Database(':memory:').close()
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /'better-sqlite3'/.test(err.message)) {
    fail('SeqLab cannot find the package better-sqlite3: install the dependencies with `npm ci`.')
  }
  fail(
    `SeqLab cannot load better-sqlite3's native module for Node.js ${process.versions.node} ` +
      `(${String((err && err.message) || err).split('\n')[0]}).\n` +
      'Rebuild it with `npm rebuild better-sqlite3`.',
  )
}

const bundle = path.join(__dirname, '..', 'out', 'cli', 'seqlab.cjs')
if (!fs.existsSync(bundle)) fail("SeqLab's CLI is not built: run `npm run build:cli`.")
require(bundle).main(process.argv)

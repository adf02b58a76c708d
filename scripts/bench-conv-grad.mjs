/**
 * Training throughput of convolutional models on the tfjs wasm backend with SeqLab's convolution gradients
 * (src/core/engine/wasm-gradients.ts), against the same wasm backend with its built-in (slow) input gradient,
 * and against the pure-JS cpu backend. Times are measured here, never asserted in tests.
 *
 *   node scripts/bench-conv-grad.mjs [--steps 5] [--models seed,grn] [--backends wasm,wasm-builtin-dx,cpu]
 *                                    [--batch n]
 *
 * Models: `seed` is the TF-binding seed CNN (101×4 one-hot, 3 × conv1d 15 filters width 10 'same' with
 * dropout 0.5, sigmoid output, batch 1000); `grn` is a CNNC-like 32×32×1 histogram classifier (conv2d 3×3
 * 'same' 32 → 3×3 'valid' 32 → max-pool → dense, batch 256). Node's wasm backend runs on one thread.
 * Prints one JSON object: samples per wall-clock second and per CPU-second of this process (steadier when
 * the machine is busy; the work is single-threaded) per model and backend, and the speed-up over cpu.
 */
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const steps = Number(arg('steps', '5'))
const models = arg('models', 'seed,grn').split(',')
const backends = arg('backends', 'wasm,wasm-builtin-dx,cpu').split(',')
const batchOverride = Number(arg('batch', '0')) // the cpu backend is slow enough to want a smaller batch

// The module under test is TypeScript: compile it once next to node_modules so its imports resolve there.
const compiled = join(root, 'node_modules', '.cache', 'seqlab', 'bench', 'wasm-gradients.mjs')
await build({
  entryPoints: [join(root, 'src', 'core', 'engine', 'wasm-gradients.ts')],
  outfile: compiled,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@tensorflow/*'],
  logLevel: 'warning',
})

const tf = require('@tensorflow/tfjs-core')
require('@tensorflow/tfjs-backend-cpu')
const wasmBackend = require('@tensorflow/tfjs-backend-wasm')
const tfl = require('@tensorflow/tfjs-layers')
const { registerWasmConvGradients } = await import(pathToFileURL(compiled).href)

wasmBackend.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + '/')
// The built-in input-gradient kernel, kept for the comparison (its setup ran when the backend initialised).
await tf.setBackend('wasm')
const builtinDx = tf.getKernel('Conv2DBackpropInput', 'wasm')

function seedCnn() {
  const layers = [tfl.layers.inputLayer({ inputShape: [101, 4] })]
  for (let i = 0; i < 3; i++) {
    layers.push(tfl.layers.conv1d({ filters: 15, kernelSize: 10, padding: 'same', activation: 'relu' }))
    layers.push(tfl.layers.dropout({ rate: 0.5 }))
  }
  layers.push(tfl.layers.flatten(), tfl.layers.dense({ units: 1, activation: 'sigmoid' }))
  return { model: tfl.sequential({ layers }), input: [101, 4], batch: 1000 }
}

function grnCnn() {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [32, 32, 1],
        filters: 32,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
      tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'valid', activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 64, activation: 'relu' }),
      tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
  })
  return { model, input: [32, 32, 1], batch: 256 }
}

async function useBackend(name) {
  if (name === 'cpu') return tf.setBackend('cpu')
  await tf.setBackend('wasm')
  registerWasmConvGradients()
  if (name === 'wasm-builtin-dx') {
    tf.unregisterKernel('Conv2DBackpropInput', 'wasm')
    tf.registerKernel(builtinDx)
  }
}

async function samplesPerSecond(backend, makeModel) {
  await useBackend(backend)
  const { model, input, batch: defaultBatch } = makeModel()
  const batch = batchOverride || defaultBatch
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy' })
  const x = tf.randomUniform([batch, ...input])
  const y = tf.cast(tf.greater(tf.randomUniform([batch, 1]), 0.99), 'float32')
  await model.trainOnBatch(x, y) // warm-up: kernel setup, operator caches, optimizer slots
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  for (let s = 0; s < steps; s++) await model.trainOnBatch(x, y)
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStarted)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  tf.dispose([x, y])
  model.dispose()
  // Three significant digits: the cpu backend manages about one sample per second on the 2-D model.
  const rate = (n) => Number(n.toPrecision(3))
  return { wall: rate((steps * batch) / seconds), cpuTime: rate((steps * batch) / cpuSeconds) }
}

const result = {
  steps,
  batch: batchOverride || 'model default',
  threads: 1,
  node: process.version,
  models: {},
}
for (const name of models) {
  const make = name === 'seed' ? seedCnn : grnCnn
  const row = {}
  for (const backend of backends) {
    row[backend] = await samplesPerSecond(backend, make)
    // Progress as it goes: the cpu runs take minutes.
    console.error(
      `${name} on ${backend}: ${row[backend].wall} samples/s (${row[backend].cpuTime} per CPU-second)`,
    )
  }
  if (row.wasm && row.cpu) row.speedupOverCpu = Math.round(row.wasm.cpuTime / row.cpu.cpuTime)
  result.models[name] = row
}
console.log(JSON.stringify(result, null, 2))

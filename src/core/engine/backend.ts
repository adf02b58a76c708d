/**
 * Choosing the TensorFlow.js backend (DESIGN.md, "Engine"): try the candidates best first, keep the first that
 * initialises, and remember why each better one was passed over, so the UI and every stored experiment can say
 * which engine ran and why.
 *
 * Pure: the TensorFlow.js namespace and the candidates' loaders are handed in, so this module loads nothing
 * itself and tests can drive it with fakes. Where the candidates come from is `src/app/engine.ts`.
 */
import type { EngineInfo } from '../../shared/contract'

export type BackendName = EngineInfo['backend']

/** The few TensorFlow.js functions the selection needs (satisfied by `@tensorflow/tfjs-core`). */
export interface TfBackendControl {
  setBackend(name: string): Promise<boolean>
  ready(): Promise<void>
  getBackend(): string
  /** `@tensorflow/tfjs-core`'s version, exported under this name. */
  version_core: string
}

export interface BackendCandidate {
  name: BackendName
  /** Loads and registers the backend (and configures it); throws with a reason when it cannot. */
  init: () => Promise<void>
  /** Threads the backend runs on, asked once it is active; 1 when omitted. */
  threads?: () => number
}

/** Thrown when no candidate works; `tried` says why each one failed. */
export class NoBackendError extends Error {
  constructor(readonly tried: EngineInfo['tried']) {
    super(
      `No TensorFlow.js backend could be started: ${tried.map((t) => `${t.backend}: ${t.reason}`).join('; ')}`,
    )
    this.name = 'NoBackendError'
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] || err.name
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message)
  return String(err)
}

async function activate(tf: TfBackendControl, candidate: BackendCandidate): Promise<void> {
  await candidate.init()
  // tfjs reports a failed backend initialisation by resolving to false (and logging), not by throwing.
  const ok = await tf.setBackend(candidate.name)
  if (!ok) throw new Error(`the ${candidate.name} backend was registered but failed to initialise`)
  await tf.ready()
  if (tf.getBackend() !== candidate.name) {
    throw new Error(`TensorFlow.js kept the ${tf.getBackend()} backend instead`)
  }
}

/** Tries `candidates` in order and makes the first that works TensorFlow.js's active backend. */
export async function selectBackend(
  tf: TfBackendControl,
  candidates: BackendCandidate[],
): Promise<EngineInfo> {
  const tried: EngineInfo['tried'] = []
  for (const candidate of candidates) {
    try {
      await activate(tf, candidate)
    } catch (err) {
      tried.push({ backend: candidate.name, ok: false, reason: reasonOf(err) })
      continue
    }
    tried.push({ backend: candidate.name, ok: true })
    const threads = Math.max(1, Math.floor(candidate.threads?.() ?? 1))
    return { backend: candidate.name, tried, tfjsVersion: tf.version_core, threads }
  }
  throw new NoBackendError(tried)
}

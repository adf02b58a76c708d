/**
 * Calls to the web bridge from a suite, as the renderer makes them (POST /api/call/<name> with the launch
 * token), for the set-up the UI is not under test for: importing, splitting, training through the API.
 */
import type { RunningServer } from './server'

export interface Bridge {
  /** The call's value; a failed call throws with its error. */
  call<T>(name: string, input: unknown): Promise<T>
  /** Waits until the job is done; throws when it fails or is cancelled, or after `timeoutMs`. */
  waitForJob(jobId: string, timeoutMs?: number): Promise<void>
}

export function bridge(server: RunningServer): Bridge {
  async function call<T>(name: string, input: unknown): Promise<T> {
    const response = await fetch(`${server.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-seqlab-token': server.token },
      body: JSON.stringify(input),
    })
    const result = (await response.json()) as { ok: boolean; value?: T; error?: unknown }
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
    return result.value as T
  }
  async function waitForJob(jobId: string, timeoutMs = 120_000): Promise<void> {
    for (const started = Date.now(); Date.now() - started < timeoutMs;) {
      const jobs = await call<{ jobId: string; state: string; error?: unknown }[]>('jobs.list', {})
      const job = jobs.find((j) => j.jobId === jobId)
      if (job?.state === 'done') return
      if (job && job.state !== 'queued' && job.state !== 'running')
        throw new Error(`job ${jobId} ${job.state}: ${JSON.stringify(job.error)}`)
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`)
  }
  return { call, waitForJob }
}

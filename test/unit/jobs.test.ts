import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { JobManager } from '../../src/app/jobs/job-manager'
import { EventBus } from '../../src/app/services/events'
import type { JobInfo } from '../../src/shared/contract'
import { InputError } from '../../src/shared/errors'

function recorder() {
  const bus = new EventBus()
  const updates: JobInfo[] = []
  bus.subscribe((e) => {
    if (e.event === 'job.updated') updates.push(e.payload as JobInfo)
  })
  return { bus, updates }
}

/** A promise with its resolve/reject outside, to drive a job step by step. */
function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('EventBus', () => {
  it('delivers to every listener until unsubscribed, and survives a throwing listener', () => {
    const errors: unknown[] = []
    const bus = new EventBus((e) => errors.push(e))
    const seen: string[] = []
    bus.subscribe(() => {
      throw new Error('bad listener')
    })
    const off = bus.subscribe((e) => seen.push(e.event))
    const payload = {
      jobId: 'j',
      kind: 'k',
      title: 't',
      state: 'running',
      phase: '',
      done: 0,
      total: 0,
      startedAt: '',
    } as const
    bus.emit('job.updated', payload)
    off()
    bus.emit('job.updated', payload)
    expect(seen).toEqual(['job.updated'])
    expect(errors).toHaveLength(2) // the throwing listener is still subscribed
    expect(bus.listenerCount).toBe(1)
  })
})

describe('JobManager', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('runs a job to completion and reports running then done', async () => {
    const { bus, updates } = recorder()
    const jobs = new JobManager(bus)
    const { jobId, result } = jobs.start({
      kind: 'demo',
      title: 'Demo',
      projectId: 'p1',
      run: async () => 42,
    })
    expect(jobs.get(jobId)?.state).toBe('running')
    await expect(result).resolves.toBe(42)
    expect(updates.map((u) => u.state)).toEqual(['running', 'done'])
    expect(updates[1]).toMatchObject({ jobId, kind: 'demo', title: 'Demo', projectId: 'p1', state: 'done' })
    expect(updates[1]?.finishedAt).toBeDefined()
    expect(jobs.list()).toHaveLength(1)
  })

  it('keeps a failed job with its error as ErrorData', async () => {
    const { bus, updates } = recorder()
    const jobs = new JobManager(bus)
    const { jobId, result } = jobs.start({
      kind: 'import',
      title: 'Import',
      run: async () => {
        throw new InputError('fasta.bad_letter', "'J' is not a DNA letter", { file: 'a.fa', line: 1204 })
      },
    })
    await expect(result).rejects.toBeInstanceOf(InputError)
    const info = jobs.get(jobId)!
    expect(info.state).toBe('failed')
    expect(info.error).toMatchObject({ kind: 'input', code: 'fasta.bad_letter', file: 'a.fa', line: 1204 })
    expect(updates.at(-1)?.state).toBe('failed')
  })

  it('turns a bug into an internal error and a synchronous throw into a failed job', async () => {
    const { bus } = recorder()
    const jobs = new JobManager(bus)
    const { jobId, result } = jobs.start({
      kind: 'x',
      title: 'X',
      run: () => {
        throw new TypeError('boom')
      },
    })
    await expect(result).rejects.toThrow('boom')
    expect(jobs.get(jobId)?.error).toEqual({ kind: 'internal', message: 'boom' })
  })

  it('cancels: aborts the signal, marks the job cancelled and rejects with job.cancelled', async () => {
    const { bus, updates } = recorder()
    const jobs = new JobManager(bus)
    let signal: AbortSignal | undefined
    const { jobId, result } = jobs.start({
      kind: 'train',
      title: 'Train CNN',
      run: (ctx) =>
        new Promise((_resolve, reject) => {
          signal = ctx.signal
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))
        }),
    })
    await vi.advanceTimersByTimeAsync(0)
    jobs.cancel(jobId)
    expect(signal?.aborted).toBe(true)
    expect(jobs.get(jobId)?.state).toBe('cancelled')
    await expect(result).rejects.toMatchObject({ code: 'job.cancelled' })
    expect(updates.map((u) => u.state)).toEqual(['running', 'cancelled'])
    // Cancelling again, or a finished job, changes nothing; an unknown job is an input error.
    jobs.cancel(jobId)
    expect(updates).toHaveLength(2)
    expect(() => jobs.cancel('nope')).toThrow(InputError)
  })

  it('throttles progress to one event per 100 ms but always sends the latest and the final state', async () => {
    const { bus, updates } = recorder()
    const jobs = new JobManager(bus)
    const gate = deferred<void>()
    let report!: (done: number) => void
    const { result } = jobs.start({
      kind: 'train',
      title: 'T',
      run: async (ctx) => {
        report = (done) => ctx.progress(done, 1000, 'epoch 1/3')
        await gate.promise
        return 'ok'
      },
    })
    await vi.advanceTimersByTimeAsync(0)
    // 1000 reports within 500 ms of fake time: 2 per millisecond.
    for (let i = 1; i <= 1000; i++) {
      report(i)
      if (i % 2 === 0) await vi.advanceTimersByTimeAsync(1)
    }
    await vi.advanceTimersByTimeAsync(200)
    const progress = updates.filter((u) => u.state === 'running' && u.done > 0)
    expect(progress.length).toBeGreaterThanOrEqual(5)
    expect(progress.length).toBeLessThanOrEqual(7) // ≤ 10/s over ~0.7 s, plus the first one at once
    expect(progress.at(-1)?.done).toBe(1000) // the latest report was not lost
    gate.resolve()
    await result
    expect(updates.at(-1)).toMatchObject({ state: 'done', done: 1000, total: 1000 })
  })

  it('estimates the time left from the progress rate of the current phase', async () => {
    const { bus } = recorder()
    const jobs = new JobManager(bus)
    const gate = deferred<void>()
    let ctxRef!: { progress(done: number, total: number, phase: string): void }
    const { jobId, result } = jobs.start({
      kind: 'train',
      title: 'T',
      run: async (ctx) => {
        ctxRef = ctx
        await gate.promise
      },
    })
    await vi.advanceTimersByTimeAsync(0)
    ctxRef.progress(0, 100, 'encoding')
    expect(jobs.get(jobId)?.etaSeconds).toBeUndefined()
    await vi.advanceTimersByTimeAsync(10_000)
    ctxRef.progress(20, 100, 'encoding') // 2 units/s → 80 left → 40 s
    expect(jobs.get(jobId)?.etaSeconds).toBeCloseTo(40, 5)
    ctxRef.progress(0, 30, 'epoch 1/30') // a new phase starts a new estimate
    expect(jobs.get(jobId)?.etaSeconds).toBeUndefined()
    gate.resolve()
    await result
    expect(jobs.get(jobId)?.etaSeconds).toBeUndefined()
  })

  it('ignores progress after the job has finished and cancels everything on cancelAll', async () => {
    const { bus, updates } = recorder()
    const jobs = new JobManager(bus)
    let late!: () => void
    const a = jobs.start({
      kind: 'a',
      title: 'A',
      run: (ctx) => {
        late = () => ctx.progress(5, 10, 'late')
        return new Promise(() => {})
      },
    })
    const b = jobs.start({ kind: 'b', title: 'B', run: () => new Promise(() => {}) })
    await vi.advanceTimersByTimeAsync(0)
    jobs.cancelAll()
    late()
    await vi.advanceTimersByTimeAsync(500)
    expect(jobs.list().map((j) => j.state)).toEqual(['cancelled', 'cancelled'])
    expect(updates.filter((u) => u.phase === 'late')).toHaveLength(0)
    void a.result.catch(() => {})
    void b.result.catch(() => {})
  })

  it('drops the oldest finished jobs beyond keepFinished', async () => {
    const { bus } = recorder()
    const jobs = new JobManager(bus, { keepFinished: 3 })
    for (let i = 0; i < 5; i++) await jobs.start({ kind: 'k', title: `J${i}`, run: async () => i }).result
    expect(jobs.list().map((j) => j.title)).toEqual(['J2', 'J3', 'J4'])
  })
})

import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { JobInfo } from '../../../shared/contract'
import type {
  ExperimentDetail,
  ExperimentSpecInput,
  ExperimentSummary,
} from '../../../shared/contract-experiments'
import { callOrThrow, getApi } from '../api'
import { useJobsStore } from './jobs'
import { useProjectStore } from './project'

/** "fold 2/5 · epoch 3/10" (the runner's phase) → its numbers; undefined while queued. */
export function parsePhase(
  phase: string,
): { epoch: number; epochs: number; fold?: number; folds?: number } | undefined {
  const epoch = /epoch (\d+)\/(\d+)/.exec(phase)
  if (!epoch) return undefined
  const fold = /fold (\d+)\/(\d+)/.exec(phase)
  return {
    epoch: Number(epoch[1]),
    epochs: Number(epoch[2]),
    ...(fold ? { fold: Number(fold[1]), folds: Number(fold[2]) } : {}),
  }
}

/** Finished experiments the training queue keeps in view. */
const RECENT = 6

export const isLiveStatus = (status: ExperimentSummary['status']) =>
  status === 'queued' || status === 'running'

/**
 * The open project's experiments, their details (fetched on demand, cached until they change) and the jobs
 * that train them. While a job trains, every finished epoch (seen as the phase's epoch moving on) refetches
 * that experiment's detail, so the curves grow live without polling.
 */
export const useExperimentsStore = defineStore('experiments', () => {
  const projects = useProjectStore()
  const jobs = useJobsStore()

  const projectId = ref<string>()
  const list = ref<ExperimentSummary[]>([])
  const details = ref(new Map<number, ExperimentDetail>())
  const loaded = ref(false)
  /** Jobs started from this window, by experiment (a job does not name its experiment). */
  const jobIds = ref(new Map<number, string>())
  let loading: Promise<void> | undefined

  async function load(id: string): Promise<void> {
    const run = (async () => {
      const fetched = await callOrThrow('experiments.list', { projectId: id })
      if (projectId.value !== id) return
      // A detail whose experiment changed (status, epochs) is stale: drop it so the next read refetches.
      const before = new Map(list.value.map((e) => [e.experimentId, e]))
      for (const e of fetched) {
        const old = before.get(e.experimentId)
        if (old && (old.status !== e.status || old.epochsDone !== e.epochsDone))
          details.value.delete(e.experimentId)
      }
      list.value = fetched
      loaded.value = true
    })()
    loading = run
    try {
      await run
    } finally {
      if (loading === run) loading = undefined
    }
  }

  async function ready(id: string): Promise<void> {
    await jobs.refresh().catch(() => undefined)
    if (projectId.value !== id) {
      projectId.value = id
      loaded.value = false
      await load(id)
    } else if (loading) await loading
    else if (!loaded.value) await load(id)
  }

  watch(
    () => projects.current?.projectId,
    (id) => {
      projectId.value = id
      list.value = []
      details.value = new Map()
      jobIds.value = new Map()
      loaded.value = false
      if (id) load(id).catch(() => undefined)
    },
    { immediate: true },
  )

  getApi().on('project.changed', ({ projectId: changed }) => {
    if (changed === projectId.value) load(changed).catch(() => undefined)
  })

  /** The job of an experiment: the one started here, else an active one of the project titled after it. */
  function jobFor(experimentId: number): JobInfo | undefined {
    const known = jobIds.value.get(experimentId)
    if (known) {
      const job = jobs.jobs.find((j) => j.jobId === known)
      if (job) return job
    }
    const e = list.value.find((x) => x.experimentId === experimentId)
    if (!e) return undefined
    return jobs.jobs.find(
      (j) =>
        j.kind === 'experiment.train' &&
        j.projectId === projectId.value &&
        jobs.isActive(j) &&
        (j.title === `Train ${e.name}` || j.title === `Resume ${e.name}`),
    )
  }

  // Live curves: a phase that moves to the next epoch means one more epoch is stored.
  const lastEpoch = new Map<string, string>()
  watch(
    () =>
      [...jobIds.value.entries()].map(([experimentId, jobId]) => {
        const job = jobs.jobs.find((j) => j.jobId === jobId)
        return { experimentId, key: job ? `${job.state}|${parsePhase(job.phase)?.epoch ?? ''}` : '' }
      }),
    (now) => {
      const id = projectId.value
      if (!id) return
      for (const { experimentId, key } of now) {
        const jobKey = `${experimentId}`
        if (!key || lastEpoch.get(jobKey) === key) continue
        lastEpoch.set(jobKey, key)
        detail(id, experimentId, true).catch(() => undefined)
        load(id).catch(() => undefined)
      }
    },
    { deep: true },
  )

  async function detail(id: string, experimentId: number, fresh = false): Promise<ExperimentDetail> {
    const cached = details.value.get(experimentId)
    if (cached && !fresh) return cached
    const fetched = await callOrThrow('experiments.get', { projectId: id, experimentId })
    if (projectId.value === id) details.value.set(experimentId, fetched)
    return fetched
  }

  /** Creates and runs one experiment per seed (seed, seed + 1, …): repeats give mean ± sd over seeds. */
  async function train(id: string, spec: ExperimentSpecInput, repeats = 1): Promise<number[]> {
    const ids: number[] = []
    const seed = spec.seed ?? 42
    for (let r = 0; r < repeats; r++) {
      const named = repeats > 1 ? { ...spec, name: `${spec.name} · seed ${seed + r}`, seed: seed + r } : spec
      const { experimentId } = await callOrThrow('experiments.create', { projectId: id, spec: named })
      ids.push(experimentId)
      const { jobId } = await callOrThrow('experiments.run', { projectId: id, experimentId })
      jobIds.value.set(experimentId, jobId)
    }
    await load(id)
    return ids
  }

  /** The seed's ablation: full, no dropout, no weights, queued in one call. */
  async function ablation(id: string, spec: ExperimentSpecInput): Promise<number[]> {
    const { experiments } = await callOrThrow('experiments.ablation', { projectId: id, spec })
    for (const e of experiments) {
      jobIds.value.set(e.experimentId, e.jobId)
    }
    await load(id)
    return experiments.map((e) => e.experimentId)
  }

  async function cancel(experimentId: number): Promise<void> {
    const job = jobFor(experimentId)
    if (job) await jobs.cancel(job.jobId)
  }

  async function resume(id: string, experimentId: number): Promise<void> {
    const { jobId } = await callOrThrow('experiments.resume', { projectId: id, experimentId })
    jobIds.value.set(experimentId, jobId)
    await load(id)
  }

  async function remove(id: string, experimentId: number): Promise<void> {
    await callOrThrow('experiments.delete', { projectId: id, experimentId })
    details.value.delete(experimentId)
    await load(id)
  }

  /** Waiting and running first (in creation order), then the most recently finished, newest first. */
  const queue = computed(() => {
    const live = list.value.filter((e) => isLiveStatus(e.status))
    const finished = list.value
      .filter((e) => !isLiveStatus(e.status))
      .sort((a, b) => (b.finishedAt ?? b.createdAt).localeCompare(a.finishedAt ?? a.createdAt))
      .slice(0, RECENT)
    return [...live, ...finished]
  })

  return {
    list,
    details,
    loaded,
    queue,
    ready,
    load,
    detail,
    jobFor,
    train,
    ablation,
    cancel,
    resume,
    remove,
  }
})

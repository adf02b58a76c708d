import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { CallInput, JobInfo } from '../../../shared/contract'
import type { DatasetInfo, DatasetSummary, SplitSummary } from '../../../shared/contract-datasets'
import { callOrThrow, getApi } from '../api'
import type { StepFacts } from '../workflow'
import { useJobsStore } from './jobs'
import { useProjectStore } from './project'

/** Parts of a train/val/test split that cannot be evaluated: empty, or (binary) without positives. */
export function weakParts(split: SplitSummary): string[] {
  const folds = split.method === 'kfold'
  const weak = split.parts.filter((p) => p.records === 0 || p.positives === 0).map((p) => p.part)
  // A hold-out that holds nothing out has no validation or test part at all.
  if (!folds && !split.parts.some((p) => p.part === 'val' || p.part === 'test')) weak.push('val', 'test')
  return weak
}

/** The last import of a project, if it failed (and nothing was imported after it). */
function failedImport(jobs: readonly JobInfo[], projectId: string): JobInfo | undefined {
  const imports = jobs
    .filter((job) => job.projectId === projectId && job.kind === 'dataset.import')
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  return imports[0]?.state === 'failed' ? imports[0] : undefined
}

/**
 * The open project's data sets and splits, kept in step with the services: reloaded when the project
 * changes (an import committed, a split made, a data set deleted). Summaries are fetched on demand.
 */
export const useDatasetsStore = defineStore('datasets', () => {
  const projects = useProjectStore()
  const jobs = useJobsStore()

  const projectId = ref<string>()
  const datasets = ref<DatasetInfo[]>([])
  const splits = ref<SplitSummary[]>([])
  const summaries = ref(new Map<number, DatasetSummary>())
  const loaded = ref(false)
  let loading: Promise<void> | undefined

  async function load(id: string): Promise<void> {
    const run = (async () => {
      const [list, allSplits] = await Promise.all([
        callOrThrow('datasets.list', { projectId: id }),
        callOrThrow('splits.list', { projectId: id }),
      ])
      if (projectId.value !== id) return
      datasets.value = list
      splits.value = allSplits
      summaries.value = new Map()
      loaded.value = true
    })()
    loading = run
    try {
      await run
    } finally {
      if (loading === run) loading = undefined
    }
  }

  /** Waits for the current load (views call this before reading the list). */
  async function ready(id: string): Promise<void> {
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
      datasets.value = []
      splits.value = []
      summaries.value = new Map()
      loaded.value = false
      if (id) load(id).catch(() => undefined)
    },
    { immediate: true },
  )

  getApi().on('project.changed', ({ projectId: changed }) => {
    if (changed === projectId.value) load(changed).catch(() => undefined)
  })

  async function summary(id: string, datasetId: number): Promise<DatasetSummary> {
    const cached = summaries.value.get(datasetId)
    if (cached) return cached
    const fetched = await callOrThrow('datasets.get', { projectId: id, datasetId })
    summaries.value.set(datasetId, fetched)
    return fetched
  }

  async function remove(id: string, datasetId: number): Promise<void> {
    await callOrThrow('datasets.delete', { projectId: id, datasetId })
    await load(id)
  }

  async function createSplit(input: CallInput<'splits.create'>): Promise<SplitSummary> {
    const { summary: created } = await callOrThrow('splits.create', input)
    await load(input.projectId)
    return created
  }

  const splitsOf = (datasetId: number) => splits.value.filter((s) => s.datasetId === datasetId)

  /** What the workflow's status marks need beyond the project's counts. */
  const stepFacts = computed<StepFacts>(() => {
    const id = projectId.value
    return {
      dataAttention: id !== undefined && failedImport(jobs.jobs, id) !== undefined,
      splitsAttention: splits.value.some((s) => weakParts(s).length > 0),
    }
  })

  return { datasets, splits, loaded, ready, load, summary, remove, createSplit, splitsOf, stepFacts }
})

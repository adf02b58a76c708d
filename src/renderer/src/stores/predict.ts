import { defineStore } from 'pinia'
import { reactive, ref, watch } from 'vue'
import type { PredictModel } from '../../../shared/contract-predict'
import { callOrThrow, getApi } from '../api'
import type { PickedFile } from '../components/files/types'
import { useProjectStore } from './project'

/**
 * Predict's page state for the open project: the finished experiments that can score, the one chosen, what
 * each tab was given and the job it started. Kept here rather than in the view, so leaving Predict while a
 * scan runs and coming back shows the scan (and its result) again. Reset when another project opens.
 */
export const usePredictStore = defineStore('predict', () => {
  const projects = useProjectStore()
  const projectId = ref<string>()
  const models = ref<PredictModel[]>([])
  const loaded = ref(false)
  const experimentId = ref<number>()
  const tab = ref<'sequences' | 'scan'>('sequences')

  const sequences = reactive({
    mode: 'paste' as 'paste' | 'file',
    text: '',
    file: null as PickedFile | null,
    windows: false,
    stride: 50,
    jobId: undefined as string | undefined,
    /** The experiment the job scored with. */
    experimentId: undefined as number | undefined,
  })
  const scan = reactive({
    genome: null as PickedFile | null,
    index: null as PickedFile | null,
    chrom: undefined as string | undefined,
    /** 1-based, inclusive, as genome browsers show regions. */
    start: 1,
    end: 1,
    stride: 50,
    jobId: undefined as string | undefined,
    experimentId: undefined as number | undefined,
  })

  function reset(): void {
    models.value = []
    loaded.value = false
    experimentId.value = undefined
    tab.value = 'sequences'
    Object.assign(sequences, { mode: 'paste', text: '', file: null, windows: false, stride: 50 })
    Object.assign(sequences, { jobId: undefined, experimentId: undefined })
    Object.assign(scan, { genome: null, index: null, chrom: undefined, start: 1, end: 1, stride: 50 })
    Object.assign(scan, { jobId: undefined, experimentId: undefined })
  }

  async function load(id: string): Promise<void> {
    const fetched = await callOrThrow('predict.models', { projectId: id })
    if (projectId.value !== id) return
    models.value = fetched
    loaded.value = true
    // Keep the choice while it can still predict; else the newest finished experiment.
    if (!fetched.some((m) => m.experimentId === experimentId.value))
      experimentId.value = fetched[0]?.experimentId
  }

  watch(
    () => projects.current?.projectId,
    (id) => {
      if (id === projectId.value) return
      projectId.value = id
      reset()
    },
    { immediate: true },
  )
  // A training that finished (or an experiment deleted) changes what can predict.
  getApi().on('project.changed', ({ projectId: changed }) => {
    if (changed === projectId.value && loaded.value) load(changed).catch(() => undefined)
  })

  return { projectId, models, loaded, experimentId, tab, sequences, scan, load }
})

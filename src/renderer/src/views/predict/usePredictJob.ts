import { computed, ref, watch, type Ref } from 'vue'
import type { JobInfo } from '../../../../shared/contract'
import type { PredictSummary } from '../../../../shared/contract-predict'
import type { ErrorData } from '../../../../shared/errors'
import { callOrThrow, errorDataOf } from '../../api'
import { useJobsStore } from '../../stores/jobs'

function isErrorData(value: unknown): value is ErrorData {
  return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value
}

/**
 * A prediction job followed through the jobs store (`job.updated` events): its live info while it runs,
 * its summary once done (`predict.result`), its error when it failed. `jobId` is the page state's.
 */
export function usePredictJob(projectId: Ref<string>, jobId: Ref<string | undefined>) {
  const jobs = useJobsStore()
  const summary = ref<PredictSummary>()
  const error = ref<ErrorData>()
  const cancelling = ref(false)
  jobs.refresh().catch(() => undefined)

  const job = computed<JobInfo | undefined>(() => jobs.jobs.find((j) => j.jobId === jobId.value))
  const running = computed(() => jobId.value !== undefined && (!job.value || jobs.isActive(job.value)))

  watch(
    () => [jobId.value, job.value?.state] as const,
    async ([id, state]) => {
      if (id === undefined) {
        summary.value = undefined
        return
      }
      if (summary.value && state === 'done') return
      summary.value = undefined
      error.value = undefined
      if (state === 'failed') {
        cancelling.value = false
        error.value = isErrorData(job.value?.error) ? job.value.error : undefined
      } else if (state === 'cancelled') {
        cancelling.value = false
      } else if (state === 'done') {
        try {
          const fetched = await callOrThrow('predict.result', { projectId: projectId.value, jobId: id })
          if (jobId.value === id) summary.value = fetched
        } catch (err) {
          error.value = errorDataOf(err)
        }
      }
    },
    { immediate: true },
  )

  async function cancel(): Promise<void> {
    if (!jobId.value) return
    cancelling.value = true
    try {
      await jobs.cancel(jobId.value)
    } catch (err) {
      cancelling.value = false
      error.value = errorDataOf(err)
    }
  }

  return { job, running, summary, error, cancelling, cancel }
}

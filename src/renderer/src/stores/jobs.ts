import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobInfo } from '../../../shared/contract'
import { callOrThrow, getApi } from '../api'

const isActive = (job: JobInfo): boolean => job.state === 'queued' || job.state === 'running'

/** Every job the services report, kept live by `job.updated` events. */
export const useJobsStore = defineStore('jobs', () => {
  const byId = ref(new Map<string, JobInfo>())
  let subscribed = false

  const jobs = computed(() =>
    [...byId.value.values()].sort((a, b) => {
      // Active jobs first, then the most recent.
      if (isActive(a) !== isActive(b)) return isActive(a) ? -1 : 1
      return b.startedAt.localeCompare(a.startedAt)
    }),
  )
  const activeCount = computed(() => jobs.value.filter(isActive).length)

  function upsert(job: JobInfo): void {
    byId.value.set(job.jobId, job)
  }

  async function refresh(): Promise<void> {
    if (!subscribed) {
      subscribed = true
      getApi().on('job.updated', upsert)
    }
    const list = await callOrThrow('jobs.list', {})
    byId.value = new Map(list.map((job) => [job.jobId, job]))
  }

  async function cancel(jobId: string): Promise<void> {
    await callOrThrow('jobs.cancel', { jobId })
  }

  return { jobs, activeCount, refresh, cancel, isActive }
})

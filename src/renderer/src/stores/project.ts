import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallInput, ProjectSummary } from '../../../shared/contract'
import { callOrThrow, getApi } from '../api'

/** The one open project (UI.md: one project at a time). */
export const useProjectStore = defineStore('project', () => {
  const current = ref<ProjectSummary>()

  // The services announce renames and count changes; keep the header and overview in step.
  getApi().on('project.changed', ({ projectId, summary }) => {
    if (current.value?.projectId === projectId) current.value = summary
  })

  /** Makes `summary` the open project, closing the previous one so only one stays open. */
  async function setCurrent(summary: ProjectSummary): Promise<void> {
    const previous = current.value
    current.value = summary
    if (previous && previous.projectId !== summary.projectId) {
      await callOrThrow('projects.close', { projectId: previous.projectId }).catch(() => undefined)
    }
  }

  async function create(input: CallInput<'projects.create'>): Promise<ProjectSummary> {
    const summary = await callOrThrow('projects.create', input)
    await setCurrent(summary)
    return summary
  }

  async function open(input: CallInput<'projects.open'>): Promise<ProjectSummary> {
    const summary = await callOrThrow('projects.open', input)
    await setCurrent(summary)
    return summary
  }

  /** Loads a project by id (after a reload the server still has it open). */
  async function load(projectId: string): Promise<ProjectSummary> {
    if (current.value?.projectId === projectId) {
      current.value = await callOrThrow('projects.info', { projectId })
      return current.value
    }
    const summary = await callOrThrow('projects.info', { projectId })
    await setCurrent(summary)
    return summary
  }

  async function rename(projectId: string, name: string): Promise<ProjectSummary> {
    const summary = await callOrThrow('projects.rename', { projectId, name })
    if (current.value?.projectId === projectId) current.value = summary
    return summary
  }

  async function close(): Promise<void> {
    const open = current.value
    current.value = undefined
    if (open) await callOrThrow('projects.close', { projectId: open.projectId })
  }

  /** Forgets the open project without asking the server (it is gone or no longer open there). */
  function drop(projectId: string): void {
    if (current.value?.projectId === projectId) current.value = undefined
  }

  return { current, create, open, load, rename, close, drop }
})

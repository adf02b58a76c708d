import type { ProjectSummary } from '../../shared/contract'
import type { Step } from './router'

export type StepStatus = 'empty' | 'ready' | 'attention'

/**
 * The status mark of each step, from what the project holds. 'attention' is for problems a step will
 * report once it exists (a failed import, a stale split); nothing can need attention yet.
 */
export function stepStatus(step: Step, project: ProjectSummary): StepStatus {
  const { datasets, splits, experiments } = project.counts
  switch (step) {
    case 'overview':
      return 'ready'
    case 'data':
      return datasets > 0 ? 'ready' : 'empty'
    case 'splits':
      return splits > 0 ? 'ready' : 'empty'
    case 'train':
    case 'results':
      return experiments > 0 ? 'ready' : 'empty'
    case 'predict':
    case 'reports':
      return 'empty'
  }
}

export interface NextStep {
  /** Key under overview.next */
  key: 'import' | 'split' | 'train' | 'compare'
  step: Step
}

/** The one suggested next action on the overview (UI.md: "where was I?"). */
export function nextStep(project: ProjectSummary): NextStep {
  const { datasets, splits, experiments } = project.counts
  if (datasets === 0) return { key: 'import', step: 'data' }
  if (splits === 0) return { key: 'split', step: 'splits' }
  if (experiments === 0) return { key: 'train', step: 'train' }
  return { key: 'compare', step: 'results' }
}

import type { ProjectSummary } from '../../shared/contract'
import type { Step } from './router'

export type StepStatus = 'empty' | 'ready' | 'attention'

/** What the steps know beyond the project's counts (from the data sets store). */
export interface StepFacts {
  /** The project's last import failed. */
  dataAttention?: boolean
  /** A split has a part that cannot be evaluated (empty, no positives, nothing held out). */
  splitsAttention?: boolean
}

/** The status mark of each step, from what the project holds and what went wrong in it. */
export function stepStatus(step: Step, project: ProjectSummary, facts: StepFacts = {}): StepStatus {
  const { datasets, splits, experiments } = project.counts
  switch (step) {
    case 'overview':
      return 'ready'
    case 'data':
      return facts.dataAttention ? 'attention' : datasets > 0 ? 'ready' : 'empty'
    case 'splits':
      return splits > 0 ? (facts.splitsAttention ? 'attention' : 'ready') : 'empty'
    case 'train':
    case 'results':
    case 'reports':
    case 'predict':
      return experiments > 0 ? 'ready' : 'empty'
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

/**
 * Handlers of the experiment workflow's calls (`src/shared/contract-experiments.ts`). Training runs as jobs
 * (progress reaches the UI as `job.updated`; `project.changed` when an experiment's status settles) through
 * one `ExperimentRunner` per services instance.
 *
 * Interrupted runs: the first experiment call that touches a project (after it was opened) marks what a
 * crash left 'running' as 'interrupted' (`ExperimentRunner.reconcile`), so the list the UI shows is true.
 */
import type { experimentCalls, ExperimentSpec } from '../../shared/contract-experiments'
import { InputError } from '../../shared/errors'
import type { HandlerGroup, ServiceContext } from '../services/context'
import type { ProjectStore } from '../store/project-store'
import {
  deleteExperiment,
  experimentDetail,
  insertExperiment,
  listExperiments,
  predictionsPage,
} from './repository'
import { ExperimentRunner } from './runner'
import { checkSpec } from './spec'

/** The three variants of the seed's ablation, from a base spec with dropout and weights. */
export function ablationSpecs(
  base: ExperimentSpec,
): { variant: 'full' | 'noDropout' | 'noWeights'; spec: ExperimentSpec }[] {
  const dropout = (base.model as { dropout?: unknown }).dropout
  if (base.model.kind !== 'cnn' && base.model.kind !== 'mlp') {
    throw new InputError('experiment.bad_spec', 'The ablation needs a model with dropout (cnn or mlp)', {
      expected: 'cnn or mlp',
      found: String(base.model.kind),
      params: { field: 'model.kind' },
    })
  }
  if (typeof dropout === 'number' && dropout === 0) {
    throw new InputError('experiment.bad_spec', 'The ablation removes dropout: the base model needs some', {
      expected: 'dropout > 0',
      found: '0',
      params: { field: 'model.dropout' },
    })
  }
  if (base.weighting === 'none') {
    throw new InputError(
      'experiment.bad_spec',
      'The ablation removes the weights: the base spec needs some',
      {
        expected: 'balanced or file',
        found: 'none',
        params: { field: 'weighting' },
      },
    )
  }
  return [
    { variant: 'full', spec: { ...base, name: `${base.name} · full` } },
    {
      variant: 'noDropout',
      spec: { ...base, name: `${base.name} · no dropout`, model: { ...base.model, dropout: 0 } },
    },
    { variant: 'noWeights', spec: { ...base, name: `${base.name} · no weights`, weighting: 'none' } },
  ]
}

export function experimentHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof experimentCalls> {
  const runner = new ExperimentRunner(ctx.jobs)
  const reconciled = new WeakSet<ProjectStore>()
  const store = (projectId: string): ProjectStore => {
    const s = ctx.projects.get(projectId)
    if (!reconciled.has(s)) {
      reconciled.add(s)
      runner.reconcile(s)
    }
    return s
  }
  const changed = (projectId: string) => {
    if (ctx.projects.isOpen(projectId)) {
      ctx.events.emit('project.changed', { projectId, summary: ctx.projects.summary(projectId) })
    }
  }
  const start = (projectId: string, experimentId: number, resume: boolean) =>
    runner.start(store(projectId), experimentId, {
      resume,
      projectId,
      hooks: { onFinished: () => changed(projectId) },
    })

  return {
    'experiments.create': ({ projectId, spec }) => {
      const s = store(projectId)
      const experimentId = insertExperiment(s, checkSpec(s, spec))
      changed(projectId)
      return { experimentId }
    },
    'experiments.run': ({ projectId, experimentId }) => ({
      jobId: start(projectId, experimentId, false).jobId,
    }),
    'experiments.resume': ({ projectId, experimentId }) => ({
      jobId: start(projectId, experimentId, true).jobId,
    }),
    'experiments.list': ({ projectId, datasetId }) => listExperiments(store(projectId), datasetId),
    'experiments.get': ({ projectId, experimentId }) => experimentDetail(store(projectId), experimentId),
    'experiments.predictions': ({ projectId, experimentId, part, fold, offset, limit }) =>
      predictionsPage(store(projectId), experimentId, {
        part,
        offset,
        limit,
        ...(fold !== undefined ? { fold } : {}),
      }),
    'experiments.delete': ({ projectId, experimentId }) => {
      const s = store(projectId)
      if (runner.isLive(s, experimentId)) {
        throw new InputError(
          'experiment.running',
          'A running experiment cannot be deleted: cancel it first',
          {
            params: { experimentId },
          },
        )
      }
      deleteExperiment(s, experimentId)
      changed(projectId)
      return { ok: true as const }
    },
    'experiments.ablation': ({ projectId, spec }) => {
      const s = store(projectId)
      // Every variant is checked before any is stored, so a bad base spec leaves nothing behind.
      const variants = ablationSpecs(checkSpec(s, spec)).map((v) => ({ ...v, spec: checkSpec(s, v.spec) }))
      const ids = s.transaction(() =>
        variants.map((v) => ({ variant: v.variant, experimentId: insertExperiment(s, v.spec) })),
      )
      changed(projectId)
      return {
        experiments: ids.map((v) => ({ ...v, jobId: start(projectId, v.experimentId, false).jobId })),
      }
    },
  }
}

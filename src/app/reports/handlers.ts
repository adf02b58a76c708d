/**
 * Handlers of the export calls (`src/shared/contract-reports.ts`): the model as a TensorFlow.js layers
 * model, and the HTML report, rendered for the preview or written to the file the user chose.
 */
import * as path from 'node:path'
import type { reportCalls } from '../../shared/contract-reports'
import { exportTfjsModel } from '../models/export'
import { writeFileReplacing } from '../output-file'
import type { HandlerGroup, ServiceContext } from '../services/context'
import { renderReport } from './report'

export function reportHandlers(ctx: ServiceContext): HandlerGroup<keyof typeof reportCalls> {
  const appVersion = ctx.options.appVersion
  return {
    'models.export': ({ projectId, experimentId, fold, target }) =>
      exportTfjsModel(ctx.projects.get(projectId), {
        experimentId,
        target: ctx.files.resolve(target, 'write'),
        appVersion,
        ...(fold !== undefined ? { fold } : {}),
      }),
    'reports.render': ({ projectId, subject, locale }) =>
      renderReport(ctx.projects.get(projectId), subject, { locale, appVersion }),
    'reports.save': async ({ projectId, subject, locale, target }) => {
      const file = ctx.files.resolve(target, 'write')
      const { html } = renderReport(ctx.projects.get(projectId), subject, { locale, appVersion })
      const bytes = await writeFileReplacing(file, html)
      return { file: path.basename(file), bytes }
    },
  }
}

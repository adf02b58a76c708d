/**
 * Accessibility check of the screen a page shows, with axe-core run inside the page (its `axe.min.js` from
 * node_modules, evaluated in the page; nothing downloaded). Only violations of WCAG 2 A/AA rules with a serious or critical impact
 * count: those are the ones a keyboard or screen-reader user cannot get past (an unnamed button, an input
 * without a label, text too faint to read).
 */
import * as fs from 'node:fs'
import { createRequire } from 'node:module'
import * as path from 'node:path'
import type { Page } from 'playwright-core'
import { repoRoot } from './server'

let axeSource: string | undefined

/** One line per offending rule: `screen: rule-id (impact): help — selector; selector …`. */
export type A11yProblem = string

interface AxeNode {
  target: unknown[]
  failureSummary?: string
}
interface AxeViolation {
  id: string
  impact?: string | null
  help: string
  nodes: AxeNode[]
}

/**
 * Parts of the page that axe is told to skip, each for one reason that is not ours to fix. Keep this list
 * short and narrow (a selector for the exact element, never a whole rule for the whole page).
 */
const EXCLUDED: string[][] = []

/**
 * The serious and critical WCAG 2 A/AA violations on the page as it is now, one line per rule, `screen` naming
 * where it was found; empty when there are none (assert `toEqual([])`, so a failure lists them all).
 */
export async function a11yProblems(page: Page, screen: string): Promise<A11yProblem[]> {
  axeSource ??= fs.readFileSync(
    createRequire(path.join(repoRoot, 'package.json')).resolve('axe-core/axe.min.js'),
    'utf8',
  )
  // A reload drops it; a hash navigation inside the app keeps it. Evaluated through the debugging protocol
  // rather than added as a <script>: the app's CSP (script-src 'self') rightly refuses inline scripts, and
  // the suites keep that CSP on to catch violations.
  if (!(await page.evaluate<boolean>('typeof window.axe !== "undefined"')))
    await page.evaluate(`${axeSource}\n;undefined`)
  // Finished transitions, so contrast is measured on the settled colours, not mid-fade.
  await page.waitForTimeout(250)
  // A string expression: this file is compiled without the DOM's types.
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(
      { include: [['body']], exclude: ${JSON.stringify(EXCLUDED)} },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] },
    )
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }))
  })()`)
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const where = v.nodes.map((n) => n.target.map(String).join(' ')).slice(0, 8)
      const more = v.nodes.length > where.length ? ` (+${v.nodes.length - where.length} more)` : ''
      return `${screen}: ${v.id} (${v.impact}): ${v.help} — ${where.join('; ')}${more}`
    })
}

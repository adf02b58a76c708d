/**
 * Resampling in the browser, as a scientist sets it up (issue 6): the imbalance choices of the training form
 * (SMOTE disabled, with the reason, for a model that reads one-hot sequences), an experiment on k-mer counts
 * with SMOTE +100% trained through the form, and in Results its training set before and after: the bars'
 * numbers (read from the chart's SVG export), the counts in words, the same in 简体中文.
 * Data: 400 windows, one in four with a planted AP-1 site, split 60/20/20 through the API, so training holds
 * 180 windows without and 60 with the site; SMOTE +100% makes 60 more.
 * Screenshots: test-results/e2e/resampling-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { startServer, type RunningServer } from './support/server'

const WINDOWS = 400
const LENGTH = 101
const SITE = 'TGACTCA'

let tmp: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
let projectId = ''
const pageProblems: string[] = []
let shot = 0

function writePlantedFasta(file: string): void {
  let seed = 2024
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) % n
  const lines: string[] = []
  for (let i = 0; i < WINDOWS; i++) {
    const bases = Array.from({ length: LENGTH }, () => 'ACGT'[next(4)]!)
    const label = i % 4 === 0 ? 1 : 0
    for (let copy = 0; label && copy < 2; copy++)
      bases.splice(next(LENGTH - SITE.length), SITE.length, ...SITE)
    lines.push(`>w${i} label=${label}`, bases.join('').slice(0, LENGTH))
  }
  fs.writeFileSync(file, lines.join('\n') + '\n')
}

async function api<T>(name: string, input: unknown): Promise<T> {
  const response = await fetch(`${server!.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-seqlab-token': server!.token },
    body: JSON.stringify(input),
  })
  const result = (await response.json()) as { ok: boolean; value?: T; error?: unknown }
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

async function waitForJob(jobId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const jobs = await api<{ jobId: string; state: string; error?: unknown }[]>('jobs.list', {})
    const job = jobs.find((j) => j.jobId === jobId)
    if (job?.state === 'done') return
    if (job && job.state !== 'queued' && job.state !== 'running')
      throw new Error(`job ${jobId} ${job.state}: ${JSON.stringify(job.error)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`job ${jobId} did not finish`)
}

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true })
  for (const name of fs.readdirSync(screenshotDir)) {
    if (name.startsWith('resampling-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-resampling-'))
  const workspace = path.join(tmp, 'workspace')
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true })
  fs.mkdirSync(path.join(tmp, 'app-data'))
  writePlantedFasta(path.join(workspace, 'data', 'planted.fa'))
  server = await startServer(workspace, path.join(tmp, 'app-data'))
  browser = await launchChromium()
  page = await openWatchedPage(browser, pageProblems)
  // Notes the file an export hands to the browser, so the chart's SVG can be read without a download.
  await page.addInitScript(`(() => {
    const createObjectURL = URL.createObjectURL
    URL.createObjectURL = function (blob) { window.__lastBlob = blob; return createObjectURL.call(this, blob) }
  })()`)
})

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const byTestId = (id: string) => page.getByTestId(id)

async function screenshot(name: string, top?: string): Promise<void> {
  if (top)
    await byTestId(top)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.waitForTimeout(250)
  const file = `resampling-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
}

async function setNumber(testId: string, value: number): Promise<void> {
  const input = byTestId(testId).locator('input')
  await input.fill(String(value))
  await input.press('Tab')
}

/** Elements wider than their box at 1366×768, and a page that scrolls sideways. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.page, .page section, .train-form, .chart-frame, [data-testid="chart-body"], .params, .inline, .class-counts'
    const out = [...document.querySelectorAll(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.closest('[data-testid]')?.getAttribute('data-testid') ?? '') + ' ' + el.tagName + '.' + el.className)
    const main = document.querySelector('.shell-body')
    if (main && main.scrollWidth > main.clientWidth + 1) out.push('page scrolls sideways')
    return out
  })()`)
}

/** The <text> labels of the SVG the resampling chart exports. */
async function barLabels(): Promise<string[]> {
  const chart = byTestId('training-set').locator('.chart-frame')
  await page.evaluate('window.__lastBlob = undefined')
  await chart.getByTestId('export-svg').click()
  const svg = await page.evaluate<string>('window.__lastBlob.text()')
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&'),
  )
}

describe('resampling the training part, end to end in Chromium', () => {
  it('offers SMOTE for k-mer counts and says why it is disabled for one-hot sequences', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('Resampling e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('Resampling e2e')
    projectId = decodeURIComponent(/#\/project\/([^/?]+)/.exec(page.url())![1]!)
    const fasta = await api<{ id: string }>('files.workspaceRef', {
      relativePath: 'data/planted.fa',
      mode: 'read',
    })
    const { jobId } = await api<{ jobId: string }>('datasets.import', {
      projectId,
      name: 'planted AP-1',
      kind: 'fasta',
      files: { fasta },
      options: { label: { from: 'token', key: 'label' } },
    })
    await waitForJob(jobId)
    const [dataset] = await api<{ datasetId: number }[]>('datasets.list', { projectId })
    await api('splits.create', {
      projectId,
      datasetId: dataset!.datasetId,
      split: { method: 'stratified', val: 0.2, test: 0.2, seed: 1 },
      name: 'stratified 60/20/20',
    })

    await byTestId('nav-train').click()
    await byTestId('train-form').waitFor()
    const choices = byTestId('train-resampling')
    for (const label of ['Class weights', 'Random oversampling', 'Random undersampling', 'SMOTE', 'ADASYN'])
      expect(await choices.innerText()).toContain(label)
    // The CNN reads one-hot windows: the SMOTE family is disabled, and the form says why in words.
    await byTestId('preset-cnn').click()
    for (const id of ['imbalance-smote', 'imbalance-borderline1', 'imbalance-adasyn'])
      expect(await byTestId(id).locator('input').isDisabled()).toBe(true)
    expect(await byTestId('imbalance-random_over').locator('input').isDisabled()).toBe(false)
    expect(await byTestId('smote-blocked').innerText()).toContain('halfway between an A and a G is no base')
    await screenshot('onehot-blocked', 'train-imbalance')

    // Logistic regression reads 4-mer counts: SMOTE is open.
    await byTestId('preset-logreg').click()
    await expect.poll(() => byTestId('smote-blocked').count()).toBe(0)
    expect(await byTestId('imbalance-smote').locator('input').isDisabled()).toBe(false)
  })

  it('trains logistic regression on k-mer counts with SMOTE +100% set up through the form', async () => {
    await byTestId('imbalance-smote').click()
    await byTestId('resampling-options').waitFor()
    expect(await byTestId('resampling-amount').innerText()).toContain('+100%')
    expect(await byTestId('smote-hint').innerText()).toContain('nearest rare neighbours')
    await setNumber('resampling-k', 5)
    await setNumber('resampling-seed', 7)
    const advanced = byTestId('train-advanced').locator('.n-collapse-item__header').first()
    if (!(await byTestId('adv-epochs').isVisible())) await advanced.click()
    await setNumber('adv-epochs', 2)
    await setNumber('adv-batch', 32)
    await setNumber('adv-lr', 0.02)
    await byTestId('train-name').locator('input').fill('SMOTE +100%')
    await screenshot('smote-setup', 'train-imbalance')
    await byTestId('train-start').click()
    const item = page.locator('[data-testid="queue-item"][data-name="SMOTE +100%"]')
    await item.waitFor()
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 90_000 }).toBe('done')

    // What was stored: the spec as the form made it, and the training set before and after.
    const [summary] = await api<{ experimentId: number }[]>('experiments.list', { projectId })
    const detail = await api<{
      spec: { weighting: string; resampling: Record<string, unknown>; input: { encoding: string } }
      balance: { before: number[]; after: number[]; synthetic: number[] }[]
      metrics: { val: { records: number; positives: number }; test: { records: number; positives: number } }
    }>('experiments.get', { projectId, experimentId: summary!.experimentId })
    expect(detail.spec.input.encoding).toBe('kmer')
    expect(detail.spec.weighting).toBe('none')
    expect(detail.spec.resampling).toMatchObject({ method: 'smote', level: 1, k: 5, seed: 7 })
    expect(detail.balance).toEqual([
      expect.objectContaining({ before: [180, 60], after: [180, 120], synthetic: [0, 60] }),
    ])
    // Validation and test keep the real balance (80 windows, 20 with the site).
    expect(detail.metrics.val).toMatchObject({ records: 80, positives: 20 })
    expect(detail.metrics.test).toMatchObject({ records: 80, positives: 20 })
  })

  it('shows the training set before and after in Results: bars, counts and weights', async () => {
    await byTestId('nav-results').click()
    await byTestId('training-set-section').waitFor()
    const panel = byTestId('training-set')
    expect(await panel.getByTestId('training-set-setup').innerText()).toBe(
      'Trained with SMOTE +100% and no class weights.',
    )
    expect(await panel.locator('.chart-title').innerText()).toBe(
      'Training records before and after SMOTE +100%',
    )
    const facts = panel.getByTestId('training-set-facts')
    expect(await facts.locator('[data-class="0"]').innerText()).toBe(
      '“0”: 180 records before, 180 after; total weight in training 180',
    )
    expect(await facts.locator('[data-class="1"]').innerText()).toBe(
      '“1”: 60 records before, 120 after (60 of them generated); total weight in training 120',
    )
    // The bars' own numbers, series by series after the axes' labels (…, classes "0" "1") and before the
    // legend: before 180 and 60, after 180 and 120 (+100%).
    const labels = await barLabels()
    expect(labels.slice(labels.lastIndexOf('1') + 1)).toEqual([
      '180',
      '60',
      '180',
      '120 (+100%)',
      'Before',
      'After',
    ])
    expect(await overflowing()).toEqual([])
    await screenshot('results-bars', 'training-set-section')
  })

  it('reads in 简体中文', async () => {
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'zh-CN')`)
    await page.reload()
    await byTestId('training-set-section').waitFor()
    await expect.poll(() => byTestId('training-set-section').innerText()).toContain('训练集')
    expect(await byTestId('training-set-facts').locator('[data-class="1"]').innerText()).toBe(
      '“1”：重采样前 60 条，重采样后 120 条（其中 60 条为新生成）；训练中的总权重 120',
    )
    expect(await overflowing()).toEqual([])
    await screenshot('zh-results-bars', 'training-set-section')
    await byTestId('nav-train').click()
    await byTestId('train-form').waitFor()
    await byTestId('imbalance-smote').click()
    await byTestId('resampling-options').waitFor()
    expect(await byTestId('train-imbalance').innerText()).toContain('类别不平衡')
    expect(await overflowing()).toEqual([])
    await screenshot('zh-train-smote', 'train-imbalance')
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'en')`)
    expect(pageProblems).toEqual([])
  })
})

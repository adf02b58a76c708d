/**
 * Training and comparison in Chromium against the web bridge, as a scientist clicks through it. The data
 * set (400 windows with a planted AP-1 site, so models learn within an epoch or two) is imported and split
 * through the API, not the wizard (data.e2e covers that); then in the UI: train the logistic-regression
 * preset and watch it finish, queue the seed's ablation with a tiny CNN, cancel a longer training and read
 * what it kept, compare two experiments (curves, CIs, the verdict in words), move the validation threshold
 * and see test change, and read it all in 简体中文 at 1366×768.
 * Screenshots: test-results/e2e/train-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { screenProblems } from './support/checks'
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
/** Overflow and serious accessibility problems of each screen pictured (support/checks.ts). */
const screenIssues: string[] = []
let shot = 0

/**
 * A seeded FASTA: every fourth window carries the AP-1 site twice at random places (label=1), a
 * signal strong enough that even 4-mer counts and a one-epoch CNN pick it up.
 */
function writePlantedFasta(file: string): void {
  let seed = 12345
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

/** A call through the web bridge, as the renderer makes it. */
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
    if (name.startsWith('train-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-train-'))
  const workspace = path.join(tmp, 'workspace')
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true })
  fs.mkdirSync(path.join(tmp, 'app-data'))
  writePlantedFasta(path.join(workspace, 'data', 'planted.fa'))

  server = await startServer(workspace, path.join(tmp, 'app-data'))
  browser = await launchChromium()
  page = await openWatchedPage(browser, pageProblems)
})

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const byTestId = (id: string) => page.getByTestId(id)

/** Saves the window, after scrolling the element `top` (a test id) to the top of the page. */
async function screenshot(name: string, top?: string): Promise<void> {
  if (top)
    await byTestId(top)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.waitForTimeout(250)
  const file = `train-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
  screenIssues.push(...(await screenProblems(page, name)))
}

/** Elements wider than their box at this window size, and a page that scrolls sideways. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.page, .page section, .n-card, .train-form, .queue-item, .chart-frame, [data-testid="chart-body"], .metrics-table, .threshold-panel, .row, .presets, .params'
    const out = [...document.querySelectorAll(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.closest('[data-testid]')?.getAttribute('data-testid') ?? '') + ' ' + el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)
    const main = document.querySelector('.shell-body')
    if (main && main.scrollWidth > main.clientWidth + 1) out.push('page scrolls sideways')
    return out
  })()`)
}

/** Text that looks like a message key (a missing translation shows its key). */
async function rawKeys(): Promise<string[]> {
  const text = await page.locator('.shell-body').innerText()
  return (
    text.match(
      /\b(common|nav|train|results|errors|charts|tables|format|jobs|steps|overview)\.[a-zA-Z_]+(\.[a-zA-Z_]+)*/g,
    ) ?? []
  )
}

const queueItem = (name: string) => page.locator(`[data-testid="queue-item"][data-name="${name}"]`)
const resultRow = (name: string) => page.locator(`[data-testid="result-row"][data-name="${name}"]`)

const advancedHeader = () => byTestId('train-advanced').locator('.n-collapse-item__header').first()

async function openAdvanced(): Promise<void> {
  if (!(await byTestId('adv-epochs').isVisible())) await advancedHeader().click()
  await byTestId('adv-epochs').waitFor()
}

async function setNumber(testId: string, value: number): Promise<void> {
  const input = byTestId(testId).locator('input')
  await input.fill(String(value))
  await input.press('Tab')
}

async function setName(name: string): Promise<void> {
  await byTestId('train-name').locator('input').fill(name)
}

describe('training and comparison, end to end in Chromium', () => {
  it('imports and splits a data set through the API; Results and Train say what to do', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('Train e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('Train e2e')
    projectId = decodeURIComponent(/#\/project\/([^/?]+)/.exec(page.url())![1]!)

    const fasta = await api<{ id: string; name: string }>('files.workspaceRef', {
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
    const [dataset] = await api<{ datasetId: number; records: number }[]>('datasets.list', { projectId })
    expect(dataset!.records).toBe(WINDOWS)
    await api('splits.create', {
      projectId,
      datasetId: dataset!.datasetId,
      split: { method: 'stratified', val: 0.2, test: 0.2, seed: 1 },
      name: 'stratified 60/20/20',
    })

    await byTestId('nav-results').click()
    await byTestId('results-empty').waitFor()
    expect(await byTestId('results-view').innerText()).toContain('Train a model first')
    await screenshot('results-empty')
  })

  it('trains the logistic-regression preset: progress in the queue, curves, and the result', async () => {
    await byTestId('nav-train').click()
    await byTestId('train-form').waitFor()
    // The data set and split are preselected; the engine in use is named.
    expect(await byTestId('train-dataset').innerText()).toContain('planted AP-1')
    expect(await byTestId('train-split').innerText()).toContain('stratified 60/20/20')
    await expect
      .poll(() => byTestId('train-engine').innerText(), { timeout: 30_000 })
      .toMatch(/Engine: .+thread/)
    // Hints at the first mention of class weights; the unsupported options are visible but disabled.
    expect(await byTestId('weights-hint').innerText()).toContain('Class weights make each rare positive')
    expect(await byTestId('preset-cnnc').innerText()).toContain('Comes with gene-pair data sets')
    expect(await byTestId('preset-cnnc').locator('input').isDisabled()).toBe(true)
    // Resampling is offered; SMOTE blends k-mer counts, so the logistic regression (k-mers) may use it.
    expect(await byTestId('train-resampling').innerText()).toContain('SMOTE')
    expect(await byTestId('imbalance-smote').locator('input').isDisabled()).toBe(false)
    // Logistic regression has no dropout: the ablation says why it is not offered.
    expect(await byTestId('train-ablation').isDisabled()).toBe(true)
    expect(await byTestId('ablation-blocked').innerText()).toContain('dropout')
    await byTestId('queue-empty').waitFor()
    await screenshot('setup')

    await byTestId('preset-logreg').click()
    // Small data: smaller batches and a larger step than the seed's recipe (made for 276,216 windows).
    await openAdvanced()
    await setNumber('adv-batch', 32)
    await setNumber('adv-lr', 0.02)
    await setName('LR baseline')
    await byTestId('train-start').click()
    const item = queueItem('LR baseline')
    await item.waitFor()
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 60_000 }).toBe('done')
    expect(await item.getByTestId('queue-result').innerText()).toMatch(
      /Test AUPRC [01]\.\d{3} · ROC-AUC [01]\.\d{3}/,
    )
    // The finished run's curves: one point per epoch, the best epoch named.
    await byTestId('live-curves').locator('canvas, svg').first().waitFor()
    await expect.poll(() => byTestId('training-best').innerText()).toMatch(/LR baseline.*epoch \d+/)
    await screenshot('logreg-done', 'training-section')
  })

  it('queues the ablation of a tiny CNN in one click: three experiments train and finish', async () => {
    await byTestId('preset-cnn').click()
    expect(await byTestId('train-ablation').isDisabled()).toBe(false)
    await openAdvanced()
    // The dropout hint sits at its first occurrence.
    expect(await byTestId('dropout-hint').innerText()).toContain('Dropout switches off')
    await setNumber('adv-filters', 4)
    await setNumber('adv-width', 8)
    await setNumber('adv-depth', 1)
    await setNumber('adv-epochs', 1)
    await setNumber('adv-batch', 16)
    await setName('tiny CNN')
    // Uncalibrated, so Results has weighted scores to warn about (the logistic regression is calibrated).
    expect(await byTestId('calibration-hint').innerText()).toContain('Calibration, fitted on validation')
    await byTestId('calibration-none').click()
    await screenshot('ablation-setup', 'train-advanced')
    await byTestId('train-ablation').click()
    const names = ['tiny CNN · full', 'tiny CNN · no dropout', 'tiny CNN · no weights']
    for (const name of names) await queueItem(name).waitFor()
    for (const name of names) {
      await expect.poll(() => queueItem(name).getAttribute('data-status'), { timeout: 90_000 }).toBe('done')
    }
    await screenshot('ablation-done', 'training-section')
  })

  it('cancels a longer training mid-way and says which epochs were kept', async () => {
    await setNumber('adv-filters', 15)
    await setNumber('adv-width', 10)
    await setNumber('adv-depth', 3)
    await setNumber('adv-epochs', 400)
    await setNumber('adv-batch', 16)
    await setName('long CNN')
    await byTestId('train-start').click()
    const item = queueItem('long CNN')
    await item.waitFor()
    // Live: the phase counts epochs, and the curves grow while it runs.
    await expect
      .poll(async () => Number(/epoch (\d+)\/400/.exec(await item.innerText())?.[1] ?? 0), {
        timeout: 90_000,
      })
      .toBeGreaterThanOrEqual(3)
    expect(await item.getAttribute('data-status')).toBe('running')
    await byTestId('live-curves').locator('canvas, svg').first().waitFor()
    expect(await byTestId('curves-waiting').count()).toBe(0)
    // The UI stays responsive while the worker trains: the fold opens and closes at once.
    const started = Date.now()
    await advancedHeader().click()
    await byTestId('adv-epochs').waitFor({ state: 'hidden' })
    await advancedHeader().click()
    await byTestId('adv-epochs').waitFor()
    expect(Date.now() - started).toBeLessThan(5_000)
    await screenshot('running', 'training-section')

    await item.getByTestId('queue-cancel').click()
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled')
    const kept = await item.getByTestId('queue-kept').innerText()
    expect(kept).toMatch(/epochs 1–\d+ were finished and kept\. Resume continues with epoch \d+/)
    const [, last, next] = /1–(\d+).*epoch (\d+)/.exec(kept)!.map(Number)
    expect(last).toBeGreaterThanOrEqual(2)
    expect(next).toBe(last! + 1)
    expect(await item.getByTestId('queue-resume').isVisible()).toBe(true)
    await screenshot('cancelled', 'training-section')
  })

  it('compares two experiments: curves, CIs, the verdict in words, and a threshold moved on validation', async () => {
    await byTestId('nav-results').click()
    await byTestId('results-list').waitFor()
    await expect.poll(() => page.getByTestId('result-row').count()).toBe(5)
    expect(await resultRow('long CNN').getAttribute('data-status')).toBe('cancelled')
    expect(await resultRow('LR baseline').getByTestId('result-headline').innerText()).toMatch(
      /AUPRC [01]\.\d{3} \(random 0\.25\d\) · ROC-AUC [01]\.\d{3}/,
    )
    // The newest finished experiment is selected; tick the baseline as well.
    const checked = async (name: string) =>
      (await resultRow(name).locator('.n-checkbox').getAttribute('aria-checked')) === 'true'
    await expect.poll(() => checked('tiny CNN · no weights')).toBe(true)
    await resultRow('LR baseline').getByTestId('result-select').click()
    await expect.poll(() => checked('LR baseline')).toBe(true)

    await byTestId('compare-roc').waitFor()
    await byTestId('compare-pr').waitFor()
    const table = byTestId('compare-table')
    await expect.poll(() => table.innerText(), { timeout: 30_000 }).toMatch(/95% CI 0\.\d{3} to [01]\.\d{3}/)
    expect(await table.innerText()).toContain('LR baseline')
    expect(await table.innerText()).toContain('Best')
    const verdict = byTestId('verdict')
    await verdict.first().waitFor()
    expect(await verdict.first().innerText()).toMatch(
      /vs “.+”: AUPRC [−+]?\d\.\d{3}, (a real difference|not a real difference: it could be chance) \(p (= [\d.]+|< [\d.]+), paired bootstrap\)/,
    )
    expect(await verdict.first().innerText()).toMatch(/ROC-AUC .*DeLong test/)
    await screenshot('compare', 'results-list')
    await screenshot('compare-table', 'compare-table')
    await screenshot('compare-verdict', 'verdicts')

    // Threshold: moved on validation, applied unchanged to test.
    await byTestId('threshold-panel').scrollIntoViewIfNeeded()
    const test = byTestId('confusion-test')
    await test.getByTestId('confusion-reading').waitFor()
    const before = await test.getByTestId('confusion-reading').innerText()
    const thresholdText = async () => test.getByTestId('confusion-part').innerText()
    const thresholdBefore = await thresholdText()
    const rail = byTestId('threshold-slider').locator('.n-slider-rail')
    const box = (await rail.boundingBox())!
    await page.mouse.click(box.x + box.width * 0.95, box.y + box.height / 2)
    await expect.poll(thresholdText).not.toBe(thresholdBefore)
    await expect.poll(() => test.getByTestId('confusion-reading').innerText()).not.toBe(before)
    expect(await thresholdText()).toMatch(/0\.9\d\d/)
    await byTestId('threshold-reset').waitFor()
    await screenshot('threshold', 'threshold-section')
  })

  it('says whether the scores are probabilities: reliability chart, Brier scores, a note where uncalibrated', async () => {
    const section = byTestId('calibration-section')
    await section.scrollIntoViewIfNeeded()
    // The chart renders for both experiments; the Brier scores are written out under it.
    await section.getByTestId('reliability-chart').locator('canvas').first().waitFor()
    const brier = section.getByTestId('calibration-brier')
    expect(await brier.innerText()).toMatch(
      /“LR baseline”: Brier score 0\.\d{3} as trained, 0\.\d{3} after calibration \(Platt scaling\)\./,
    )
    expect(await brier.innerText()).toMatch(/“tiny CNN · no weights”: Brier score 0\.\d{3}, not calibrated\./)
    expect(await section.innerText()).toMatch(
      /always answering the positive rate \(0\.2\d\d\) scores 0\.1\d\d/,
    )
    // No weights, no resampling: nothing to warn about yet.
    expect(await section.getByTestId('calibration-note').count()).toBe(0)
    await screenshot('calibration', 'calibration-section')

    // Weighted and uncalibrated: the note says what the scores are good for.
    await resultRow('tiny CNN · full').getByTestId('result-select').click()
    const note = section.locator('[data-testid="calibration-note"]')
    await expect
      .poll(() =>
        note
          .first()
          .innerText()
          .catch(() => ''),
      )
      .toContain(
        '“tiny CNN · full” was trained with class weights: its scores overstate how often a sequence is positive',
      )
    expect(await note.first().innerText()).toContain(
      'Use them to rank, or turn on calibration when you train.',
    )
    expect(await brier.innerText()).toMatch(/“tiny CNN · full”: Brier score 0\.\d{3}, not calibrated\./)
    // Equal-width bins redraw the same chart.
    await section.getByTestId('reliability-bins').getByText('Equal-width bins').click()
    await screenshot('calibration-note', 'calibration-section')
    await resultRow('tiny CNN · full').getByTestId('result-select').click()
    await expect.poll(() => note.count()).toBe(0)
  })

  it('reads in 简体中文 with no raw keys and nothing overflowing at 1366×768', async () => {
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'zh-CN')`)
    await page.reload()
    await byTestId('results-view').waitFor()
    await expect.poll(() => byTestId('results-view').innerText()).toContain('比较')
    await expect.poll(() => byTestId('compare-table').innerText(), { timeout: 30_000 }).toContain('95%')
    await expect.poll(() => byTestId('verdict').count()).toBeGreaterThan(0)
    expect(await byTestId('verdict').first().innerText()).toMatch(/对比/)
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-results', 'results-list')
    await screenshot('zh-compare', 'compare-table')
    expect(await byTestId('calibration-brier').innerText()).toMatch(
      /“LR baseline”：Brier 分数训练所得为 0\.\d{3}/,
    )
    await screenshot('zh-calibration', 'calibration-section')
    await screenshot('zh-threshold', 'threshold-section')

    await byTestId('nav-train').click()
    await byTestId('train-form').waitFor()
    await openAdvanced()
    expect(await byTestId('train-view').innerText()).toContain('类别权重')
    expect(await queueItem('long CNN').getByTestId('queue-kept').innerText()).toMatch(
      /第 1–\d+ 轮已完成并保留/,
    )
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-train')
    await screenshot('zh-train-advanced', 'train-advanced')
    await screenshot('zh-queue', 'training-section')
    expect(pageProblems).toEqual([])
  })

  it('showed every screen without overflow or serious accessibility violations', () => {
    expect(screenIssues).toEqual([])
  })
})

/**
 * Predict in Chromium against the web bridge, as a scientist uses it. A data set of 400 windows with a
 * planted AP-1 site is imported, split and a logistic regression on 4-mers trained through the API; then
 * in the UI: the empty state before any experiment has finished, pasting three sequences (typed and
 * started from the keyboard) → a table with three scores and their calls at the validation threshold, a bad
 * record named in words, the CSV export into the workspace, then a scan of a genome FASTA region → progress,
 * the score track with the threshold line, the best windows and the bedGraph export; and all of it in
 * 简体中文 at 1366×768. Screenshots: test-results/e2e/predict-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { repoRoot, startServer, type RunningServer } from './support/server'

const WINDOWS = 400
const LENGTH = 101
const SITE = 'TGACTCA'

let tmp: string
let workspace: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
let projectId = ''
const pageProblems: string[] = []
let shot = 0
/** The first three windows of the planted FASTA: w0 carries the site, w1 and w2 do not. */
const firstThree: { id: string; sequence: string }[] = []

function writePlantedFasta(file: string): void {
  let seed = 12345
  const next = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 8) % n
  const lines: string[] = []
  for (let i = 0; i < WINDOWS; i++) {
    const bases = Array.from({ length: LENGTH }, () => 'ACGT'[next(4)]!)
    const label = i % 4 === 0 ? 1 : 0
    for (let copy = 0; label && copy < 2; copy++)
      bases.splice(next(LENGTH - SITE.length), SITE.length, ...SITE)
    const sequence = bases.join('').slice(0, LENGTH)
    if (i < 3) firstThree.push({ id: `w${i}`, sequence })
    lines.push(`>w${i} label=${label}`, sequence)
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
    if (name.startsWith('predict-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-predict-'))
  workspace = path.join(tmp, 'workspace')
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true })
  fs.mkdirSync(path.join(workspace, 'out'))
  fs.mkdirSync(path.join(tmp, 'app-data'))
  writePlantedFasta(path.join(workspace, 'data', 'planted.fa'))
  fs.copyFileSync(
    path.join(repoRoot, 'test/fixtures/e2e/genome-slices.fa'),
    path.join(workspace, 'data', 'genome-slices.fa'),
  )
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

async function screenshot(name: string, top?: string): Promise<void> {
  if (top)
    await byTestId(top)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.waitForTimeout(300)
  const file = `predict-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
}

/** Elements wider than their box at this window size, and a page that scrolls sideways. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.page, .page section, .n-tabs, .chart-frame, [data-testid="chart-body"], .region, .result-head, .model-facts'
    const out = [...document.querySelectorAll(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.closest('[data-testid]')?.getAttribute('data-testid') ?? '') + ' ' + el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)
    const main = document.querySelector('.shell-body')
    if (main && main.scrollWidth > main.clientWidth + 1) out.push('page scrolls sideways')
    return out
  })()`)
}

async function rawKeys(): Promise<string[]> {
  const text = await page.locator('.shell-body').innerText()
  return text.match(/\b(predict|charts|errors|tables|files|jobs|nav)\.[a-zA-Z_]+(\.[a-zA-Z_]+)*/g) ?? []
}

/** Picks `data/<name>` in the workspace through the file slot's chooser. */
async function chooseFile(slot: string, name: string): Promise<void> {
  await byTestId(`file-picker-${slot}`).getByTestId('file-choose').click()
  const dialog = byTestId('file-chooser-dialog')
  await dialog.waitFor()
  await dialog.getByTestId('workspace-file').filter({ hasText: 'data/' }).click()
  await dialog.getByTestId('workspace-file').filter({ hasText: name }).first().click()
  await dialog.waitFor({ state: 'hidden' })
}

/** Saves through the workspace save dialog as `out/<name>`. */
async function saveAs(button: string, name: string): Promise<void> {
  await byTestId(button).click()
  const dialog = byTestId('save-file-dialog')
  await dialog.waitFor()
  await dialog.getByTestId('workspace-file').filter({ hasText: 'out/' }).click()
  await dialog.getByTestId('save-file-name').locator('input').fill(name)
  await dialog.getByTestId('save-file-confirm').click()
  await dialog.waitFor({ state: 'hidden' })
}

const tab = (name: string) =>
  byTestId('predict-tabs')
    .locator('.n-tabs-tab')
    .filter({ hasText: new RegExp(`^${name}$`) })
const tableRows = () => byTestId('predict-sequences').locator('.n-data-table-tbody .n-data-table-tr')

describe('Predict, end to end in Chromium', () => {
  it('says to train first while no experiment has finished', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('Predict e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('Predict e2e')
    projectId = decodeURIComponent(/#\/project\/([^/?]+)/.exec(page.url())![1]!)

    await byTestId('nav-predict').click()
    await byTestId('predict-empty').waitFor()
    expect(await byTestId('predict-view').innerText()).toContain('No experiment has finished training yet')
    await screenshot('empty')
    await byTestId('predict-to-train').click()
    await byTestId('train-view').waitFor()
  })

  it('lists the finished experiment with its model, validation AUROC and threshold', async () => {
    const fasta = await api<{ id: string; name: string }>('files.workspaceRef', {
      relativePath: 'data/planted.fa',
      mode: 'read',
    })
    const imported = await api<{ jobId: string }>('datasets.import', {
      projectId,
      name: 'planted AP-1',
      kind: 'fasta',
      files: { fasta },
      options: { label: { from: 'token', key: 'label' } },
    })
    await waitForJob(imported.jobId)
    const [dataset] = await api<{ datasetId: number }[]>('datasets.list', { projectId })
    const split = await api<{ splitId: number }>('splits.create', {
      projectId,
      datasetId: dataset!.datasetId,
      split: { method: 'stratified', val: 0.2, test: 0.2, seed: 1 },
      name: 'stratified 60/20/20',
    })
    const { experimentId } = await api<{ experimentId: number }>('experiments.create', {
      projectId,
      spec: {
        name: 'LR on 4-mers',
        datasetId: dataset!.datasetId,
        splitId: split.splitId,
        model: { kind: 'logreg' },
        input: { encoding: 'kmer', k: 4 },
        training: { epochs: 4, batchSize: 32, optimizer: { lr: 0.05 } },
      },
    })
    const run = await api<{ jobId: string }>('experiments.run', { projectId, experimentId })
    await waitForJob(run.jobId)

    await byTestId('nav-predict').click()
    await byTestId('predict-model').waitFor()
    await expect
      .poll(() => byTestId('predict-experiment').innerText())
      .toMatch(/LR on 4-mers · logistic regression · validation AUROC [01]\.\d{3}/)
    expect(await byTestId('predict-fact-reads').innerText()).toBe(
      'DNA windows of exactly 101 letters (4-mer counts)',
    )
    expect(await byTestId('predict-fact-threshold').innerText()).toMatch(
      /^0\.\d{3}, chosen on validation: a score at or above it is called “1”$/,
    )
    expect(await byTestId('predict-length-rule').innerText()).toContain('exactly 101 letters')
    await screenshot('model')
  })

  it('scores three pasted sequences, typed and started from the keyboard', async () => {
    const text = firstThree.map((s) => `>${s.id}\n${s.sequence}`).join('\n')
    await byTestId('predict-paste').locator('textarea').focus()
    await page.keyboard.insertText(text)
    await expect.poll(() => byTestId('predict-paste-count').innerText()).toBe('Sequences: 3')
    // Tab from the text box reaches the Score button (the example link and the window box come first).
    let focused = ''
    for (let i = 0; i < 8 && focused !== 'predict-score'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate<string>(
        `document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? ''`,
      )
    }
    expect(focused).toBe('predict-score')
    await page.keyboard.press('Enter')

    await byTestId('predict-sequences-result').waitFor({ timeout: 60_000 })
    await expect.poll(() => tableRows().count()).toBe(3)
    const rows = await tableRows().allInnerTexts()
    expect(rows.map((r) => r.split(/[\t\n]/).filter(Boolean)[1])).toEqual(['w0', 'w1', 'w2'])
    for (const row of rows) expect(row).toMatch(/\b[01]\.\d{3}\b[\s\S]*\b[01]\b/)
    expect(await byTestId('predict-summary').innerText()).toMatch(
      /^\d of 3 \(.+%\) called “1”: score at or above 0\.\d{3}, the threshold chosen on validation\.$/,
    )
    // Sorted by score (the column header cycles the order), the planted window comes first.
    const scoreOf = (row: string) => Number(row.split(/[\t\n]/).filter(Boolean)[2])
    const scoreHeader = byTestId('predict-sequences').locator('.n-data-table-th').filter({ hasText: 'Score' })
    let top = ''
    for (let click = 0; click < 3 && top !== 'w0'; click++) {
      await scoreHeader.click()
      await page.waitForTimeout(300)
      const texts = await tableRows().allInnerTexts()
      const scores = texts.map(scoreOf)
      if (scores.every((x, i) => i === 0 || scores[i - 1]! >= x))
        top = texts[0]!.split(/[\t\n]/).filter(Boolean)[1]!
    }
    expect(top).toBe('w0')
    await screenshot('sequences', 'predict-sequences')
  })

  it('exports the scores as CSV into the workspace', async () => {
    await saveAs('predict-export-csv', 'three-scores')
    await expect
      .poll(() => byTestId('predict-export-csv-result').innerText())
      .toBe('Wrote 3 rows to Workspace / out/three-scores.csv.')
    const csv = fs
      .readFileSync(path.join(workspace, 'out', 'three-scores.csv'), 'utf8')
      .trim()
      .split('\n')
    expect(csv[0]).toBe('id,score,call')
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['w0', 'w1', 'w2'])
  })

  it('names a bad record and says what was expected', async () => {
    const textarea = byTestId('predict-paste').locator('textarea')
    await textarea.fill(`>good\n${firstThree[0]!.sequence}\n>short\nACGTACGT\n`)
    await byTestId('predict-score').click()
    const alert = byTestId('predict-sequences').getByRole('alert').first()
    await expect
      .poll(() => alert.innerText())
      .toContain('The sequence “short” has 8 letters, but the model reads windows of exactly 101.')
    expect(await alert.innerText()).toContain('Record 2')
    await screenshot('bad-record', 'predict-sequences')
    await alert.locator('.n-alert__close').click()
  })

  it('scans a genome region: progress, the score track with the threshold, the best windows, a bedGraph', async () => {
    await tab('Scan a region').click()
    await byTestId('predict-scan').waitFor()
    await chooseFile('predict-genome', 'genome-slices.fa')
    await byTestId('predict-region').waitFor()
    expect(await byTestId('predict-chrom').innerText()).toContain('chr22_a (20,000 bp)')
    await expect
      .poll(() => byTestId('predict-estimate').innerText())
      .toBe('398 windows of 101 bases, 50 bases apart. Positions count from 1, as in genome browsers.')
    await screenshot('scan-setup', 'predict-scan')

    await byTestId('predict-scan-start').click()
    await byTestId('predict-scan-result').waitFor({ timeout: 60_000 })
    expect(await byTestId('predict-scan-summary').innerText()).toMatch(
      /^398 windows of chr22_a:1–20,000 scored \(101-base windows, stride 50\)\. \d+ of 398 \(.+\) called “1”/,
    )
    const track = byTestId('predict-track')
    await track.waitFor()
    expect(await track.innerText()).toContain('Scores along chr22_a')
    await expect.poll(() => track.locator('canvas').count()).toBeGreaterThan(0)
    expect(await byTestId('predict-scan').locator('.n-data-table-tbody .n-data-table-tr').count()).toBe(10)
    await screenshot('scan-track', 'predict-scan-result')

    await saveAs('predict-export-bedgraph', 'chr22_a')
    await expect
      .poll(() => byTestId('predict-export-bedgraph-result').innerText())
      .toBe('Wrote 398 rows to Workspace / out/chr22_a.bedGraph.')
    const bg = fs
      .readFileSync(path.join(workspace, 'out', 'chr22_a.bedGraph'), 'utf8')
      .trim()
      .split('\n')
    expect(bg[0]).toMatch(/^track type=bedGraph name="LR on 4-mers"/)
    expect(bg).toHaveLength(399)
    expect(bg[1]!.split('\t').slice(0, 3)).toEqual(['chr22_a', '25', '75'])
    await screenshot('scan-exported', 'predict-scan-result')
  })

  it('reads in 简体中文 with no raw keys and nothing overflowing at 1366×768', async () => {
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'zh-CN')`)
    await page.reload()
    await byTestId('predict-view').waitFor()
    await expect.poll(() => byTestId('predict-view').innerText()).toContain('扫描区域')
    // The page state survives the reload of the view only within a session: score again in Chinese.
    await tab('序列').click()
    await byTestId('predict-example').click()
    await byTestId('predict-score').click()
    await byTestId('predict-sequences-result').waitFor({ timeout: 60_000 })
    await expect.poll(() => tableRows().count()).toBe(3)
    expect(await byTestId('predict-summary').innerText()).toMatch(/判为“1”/)
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-sequences', 'predict-view')

    await tab('扫描区域').click()
    await chooseFile('predict-genome', 'genome-slices.fa')
    await byTestId('predict-region').waitFor()
    await byTestId('predict-scan-start').click()
    await byTestId('predict-scan-result').waitFor({ timeout: 60_000 })
    expect(await byTestId('predict-scan-summary').innerText()).toMatch(
      /已为 chr22_a:1–20,000 的 398 个窗口打分/,
    )
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-scan', 'predict-scan')
    await screenshot('zh-track', 'predict-scan-result')
    expect(pageProblems).toEqual([])
  })
})

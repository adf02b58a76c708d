/**
 * The data workflow in Chromium against the web bridge, as a scientist clicks through it: import a genome
 * with peaks, a labelled FASTA and a CSV through the wizard (files from the workspace folder), see a bad
 * file refused inline with its line, cancel a long import, make a chromosome hold-out and a stratified
 * split, export one as CSV, delete a data set, then read it all in 简体中文 at 1366×768.
 * Screenshots: test-results/e2e/data-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { screenProblems } from './support/checks'
import { repoRoot, startServer, type RunningServer } from './support/server'

const FIXTURES = path.join(repoRoot, 'test/fixtures/e2e')
/** Windows of the genome fixture: three 20-kb sequences cut into adjacent 101-bp windows. */
const WINDOWS = 3 * (Math.floor((20_000 - 101) / 101) + 1)
const PER_SLICE = WINDOWS / 3
const BAD_LINE = 1_204
const BIG_RECORDS = 400_000

let tmp: string
let workspace: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
const pageProblems: string[] = []
/** Overflow and serious accessibility problems of each screen pictured (support/checks.ts). */
const screenIssues: string[] = []
let shot = 0

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true })
  for (const name of fs.readdirSync(screenshotDir)) {
    if (name.startsWith('data-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-data-'))
  workspace = path.join(tmp, 'workspace')
  const data = path.join(workspace, 'data')
  fs.mkdirSync(data, { recursive: true })
  fs.mkdirSync(path.join(tmp, 'app-data'))
  for (const name of ['genome-slices.fa', 'peaks-slices.bed', 'hnf4a-labelled.fa'])
    fs.copyFileSync(path.join(FIXTURES, name), path.join(data, name))
  fs.copyFileSync(path.join(repoRoot, 'test/fixtures/datasets/small.csv'), path.join(data, 'small.csv'))
  writeBadFasta(path.join(data, 'bad.fa'))
  writeBigFasta(path.join(data, 'big.fa'))

  server = await startServer(workspace, path.join(tmp, 'app-data'))
  browser = await launchChromium()
  page = await openWatchedPage(browser, pageProblems)
})

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

/** 450 records (the first of 161 bp, the rest of 101 bp, in lines of 60); one 'J' on line 1,204. */
function writeBadFasta(file: string): void {
  const lines: string[] = []
  let seed = 7
  const base = () => 'ACGT'[((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 3]
  for (let i = 0; i < 450; i++) {
    const seq = Array.from({ length: i === 0 ? 161 : 101 }, base).join('')
    lines.push(`>r${i + 1} label=${i % 9 === 0 ? 1 : 0}`, ...seq.match(/.{1,60}/g)!)
  }
  const at = BAD_LINE - 1
  if (lines[at]!.startsWith('>')) throw new Error('the bad letter must land on a sequence line')
  lines[at] = lines[at]!.slice(0, 9) + 'J' + lines[at]!.slice(10)
  fs.writeFileSync(file, lines.join('\n') + '\n')
}

/** A FASTA large enough (~47 MB) that its import runs for seconds, so it can be cancelled. */
function writeBigFasta(file: string): void {
  const fd = fs.openSync(file, 'w')
  const seq = 'ACGTTGCAAC'.repeat(10) + 'A'
  const chunk: string[] = []
  for (let i = 0; i < BIG_RECORDS; i++) {
    chunk.push(`>b${i} label=${i % 50 === 0 ? 1 : 0}\n${seq}\n`)
    if (chunk.length === 20_000) fs.writeSync(fd, chunk.splice(0).join(''))
  }
  fs.writeSync(fd, chunk.join(''))
  fs.closeSync(fd)
}

const byTestId = (id: string) => page.getByTestId(id)

async function screenshot(name: string): Promise<void> {
  await page.waitForTimeout(150)
  const file = `data-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
  screenIssues.push(...(await screenProblems(page, name)))
}

/** Chooses `data/<name>` for a file slot of the wizard through the workspace list. */
async function pickFile(slot: string, name: string): Promise<void> {
  await byTestId(`file-picker-${slot}`).getByTestId('file-choose').click()
  const dialog = byTestId('file-chooser-dialog')
  await dialog.waitFor()
  await dialog.getByTestId('workspace-file').filter({ hasText: 'data/' }).click()
  await dialog.getByTestId('workspace-file').filter({ hasText: name }).first().click()
  await dialog.waitFor({ state: 'detached' })
  await expect.poll(() => byTestId(`file-picker-${slot}`).getByTestId('file-chosen').innerText()).toBe(name)
}

const next = () => byTestId('wizard-next').click()
const step = () => byTestId('import-wizard').getAttribute('data-step')

async function startWizard(kind: 'fasta' | 'csv' | 'genome'): Promise<void> {
  await byTestId('nav-data').click()
  await byTestId('import-dataset').click()
  await byTestId('import-wizard').waitFor()
  await byTestId(`kind-${kind}`).click()
  await expect.poll(step).toBe('files')
}

/** From the preview step: name the data set, import, wait until done. */
async function importAs(name: string): Promise<void> {
  await next()
  await expect.poll(step).toBe('name')
  await byTestId('dataset-name').locator('input').fill(name)
  await next()
  await byTestId('import-done').waitFor({ timeout: 60_000 })
}

/** Elements wider than their box at this window size, and a page that scrolls sideways. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.page, .page table, .page section, .split-card, .chart-frame, [data-testid="chart-body"], .chart-caption, .kinds, .footer, .facts, .stats, .picker, .n-card'
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
      /\b(common|nav|data|wizard|datasetView|splitsView|files|errors|charts|tables|format|jobs|steps|overview)\.[a-zA-Z_]+(\.[a-zA-Z_]+)*/g,
    ) ?? []
  )
}

const rowNamed = (name: string) => page.locator(`[data-testid="dataset-row"][data-name="${name}"]`)

describe('the data workflow, end to end in Chromium', () => {
  it('starts with an empty Data step that says what to do', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('JunD e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('JunD e2e')
    expect(await byTestId('nav-data').locator('[data-status]').getAttribute('data-status')).toBe('empty')
    await byTestId('nav-data').click()
    await byTestId('data-empty').waitFor()
    expect(await byTestId('data-view').innerText()).toContain('No data sets yet')
    await screenshot('empty')
  })

  it('imports a genome with peaks: defaults are the seed recipe, preview shows windows, import shows progress', async () => {
    await byTestId('import-dataset').click()
    await byTestId('import-wizard').waitFor()
    // Every step is listed up front; the later kinds are there but disabled.
    expect(await byTestId('wizard-steps').innerText()).toMatch(/Kind[\s\S]*Files[\s\S]*Options[\s\S]*Preview/)
    expect(await byTestId('kind-expression').getAttribute('aria-disabled')).toBe('true')
    expect(await byTestId('kind-embeddings').innerText()).toContain('later version')
    await screenshot('wizard-kind')

    await byTestId('kind-genome').click()
    await expect.poll(step).toBe('files')
    // Next says why it is blocked until the required files are chosen.
    expect(await byTestId('wizard-next').isDisabled()).toBe(true)
    expect(await byTestId('wizard-next-reason').innerText()).toContain('Genome FASTA')
    await pickFile('genome', 'genome-slices.fa')
    await pickFile('peaks', 'peaks-slices.bed')
    await screenshot('wizard-files')
    await next()

    await expect.poll(step).toBe('options')
    expect(await byTestId('genome-length').locator('input').inputValue()).toBe('101')
    expect(await byTestId('genome-summary').innerText()).toContain('101-bp windows every 101 bp')
    // Advanced options are folded, not hidden.
    expect(await byTestId('advanced-genome').innerText()).toContain('Advanced')
    await expect.poll(() => byTestId('options-live').innerText()).toMatch(/Live check of the first/)
    await screenshot('wizard-options-genome')
    await next()

    await expect.poll(step).toBe('preview')
    await byTestId('preview-panel').waitFor()
    expect(await byTestId('preview-records').locator('tbody tr').count()).toBe(20)
    expect(await byTestId('preview-records').innerText()).toContain('chr22_a:0-101')
    expect(await byTestId('preview-problems').count()).toBe(0)
    await screenshot('wizard-preview-genome')

    await next()
    await byTestId('dataset-name').locator('input').fill('JunD slices')
    await next()
    await byTestId('import-done').waitFor({ timeout: 60_000 })
    await screenshot('import-done')

    await byTestId('open-new-dataset').click()
    await byTestId('dataset-view').waitFor()
    await expect.poll(() => byTestId('stat-records').innerText()).toContain(WINDOWS.toLocaleString('en-US'))
    const counts = await byTestId('class-count').allInnerTexts()
    const [negatives, positives] = counts.map((c) => Number(c.replace(/,/g, '')))
    expect(negatives! + positives!).toBe(WINDOWS)
    expect(positives).toBeGreaterThan(0)
    expect(await byTestId('dataset-guidance').innerText()).toMatch(
      /1 record in \d+ is “1”: accuracy flatters|accuracy is meaningless/,
    )
    await byTestId('chart-chromosomes').locator('canvas').first().waitFor()
    expect(await byTestId('no-splits').innerText()).toContain('No splits yet')
    expect(await byTestId('nav-data').locator('[data-status]').getAttribute('data-status')).toBe('ready')
    await screenshot('dataset-genome')
  })

  it('imports a labelled FASTA, with a live example of the label rule', async () => {
    await startWizard('fasta')
    await pickFile('fasta', 'hnf4a-labelled.fa')
    await next()
    await expect.poll(step).toBe('options')
    await expect.poll(() => byTestId('label-example').innerText()).toContain('>HNF4a_site_1 label=1')
    expect(await byTestId('label-example-value').innerText()).toBe('1')
    // The example follows the rule as it is typed.
    await byTestId('label-from-regex').click()
    await byTestId('label-pattern').locator('input').fill('site_(\\d+)')
    await expect.poll(() => byTestId('label-example-value').innerText()).toBe('1')
    await byTestId('label-pattern').locator('input').fill('no (group')
    await byTestId('label-example-problem').waitFor()
    await byTestId('label-from-token').click()
    await screenshot('wizard-options-fasta')
    await next()

    await expect.poll(step).toBe('preview')
    await byTestId('preview-classes').waitFor()
    expect(await byTestId('preview-classes').locator('[data-label="0"]').innerText()).toMatch(/60/)
    expect(await byTestId('preview-classes').locator('[data-label="1"]').innerText()).toMatch(/30/)
    await importAs('HNF4a sites')
    await byTestId('nav-data').click()
    await rowNamed('HNF4a sites').waitFor()
    expect(await rowNamed('HNF4a sites').getByTestId('dataset-records').innerText()).toBe('90')
    expect(await rowNamed('HNF4a sites').getByTestId('balance-glance').innerText()).toContain(
      '33.3% “1” (1 in 3)',
    )
  })

  it('imports a CSV with its columns guessed from the header', async () => {
    await startWizard('csv')
    await pickFile('table', 'small.csv')
    await next()
    await expect.poll(step).toBe('options')
    await expect.poll(() => byTestId('csv-sequence-column').innerText()).toContain('sequence')
    expect(await byTestId('csv-label-column').innerText()).toContain('label')
    expect(await byTestId('csv-weight-column').innerText()).toContain('weight')
    await screenshot('wizard-options-csv')
    await next()
    await byTestId('preview-panel').waitFor()
    expect(await byTestId('preview-scanned').innerText()).toContain('Read all 24 records')
    await importAs('Small CSV')
    await byTestId('open-new-dataset').click()
    await byTestId('dataset-view').waitFor()
    await expect.poll(() => byTestId('stat-records').innerText()).toContain('24')
    // The seed's check: weights 3 for positives, 1 for negatives → 18 vs 18.
    expect(await byTestId('weights-check').innerText()).toContain('balance the classes')
  })

  it('shows a bad letter inline with its file and line, and blocks Next', async () => {
    await startWizard('fasta')
    await pickFile('fasta', 'bad.fa')
    await next()
    await expect.poll(step).toBe('options')
    await next()
    await expect.poll(step).toBe('preview')
    const problem = byTestId('preview-problem').first()
    await problem.waitFor()
    expect(await problem.getAttribute('data-code')).toBe('fasta.bad_letter')
    expect(await problem.innerText()).toContain('bad.fa, line 1,204: “J” is not a DNA letter (column 10)')
    expect(await byTestId('wizard-next').isDisabled()).toBe(true)
    expect(await byTestId('wizard-next-reason').innerText()).toContain('Fix the 1 problem(s) above first')
    await screenshot('wizard-bad-file')
  })

  it('cancels a long import, and nothing is written', async () => {
    await startWizard('fasta')
    await pickFile('fasta', 'big.fa')
    await next()
    await next()
    await byTestId('preview-panel').waitFor()
    await next()
    await byTestId('dataset-name').locator('input').fill('Too big')
    await next()
    await byTestId('import-progress').waitFor()
    await expect.poll(() => byTestId('import-progress').getAttribute('data-state')).toBe('running')
    await screenshot('import-running')
    await byTestId('import-cancel').click()
    await byTestId('import-cancelled').waitFor({ timeout: 30_000 })
    expect(await byTestId('import-cancelled').innerText()).toContain('Nothing was written')
    await screenshot('import-cancelled')
    await byTestId('nav-data').click()
    await expect.poll(() => byTestId('dataset-row').count()).toBe(3)
    expect(await rowNamed('Too big').count()).toBe(0)
  })

  it('makes a chromosome hold-out split, then a stratified one, with their counts', async () => {
    await rowNamed('JunD slices').getByTestId('dataset-open').click()
    await byTestId('make-split').click()
    await byTestId('splits-view').waitFor()
    expect(await byTestId('leakage-hint').innerText()).toContain('leak')
    // Each chromosome with its records and positives; the last two are suggested for val and test.
    expect(await byTestId('split-chromosome').count()).toBe(3)
    expect(await byTestId('split-chromosome').first().innerText()).toContain(String(PER_SLICE))
    const ticked = (chrom: string, part: 'val' | 'test') =>
      page.locator(`[data-chrom="${chrom}"] [data-testid="chrom-${part}"]`).getAttribute('aria-checked')
    expect(await ticked('chr22_b', 'val')).toBe('true')
    expect(await ticked('chr22_c', 'test')).toBe('true')
    expect(await ticked('chr22_a', 'val')).toBe('false')
    expect(await byTestId('split-totals').innerText()).toContain(`Training: ${PER_SLICE} records`)
    await screenshot('split-form-chromosome')
    await byTestId('split-create').click()
    const result = byTestId('split-result')
    await result.waitFor()
    for (const part of ['train', 'val', 'test']) {
      expect(await result.locator(`[data-part="${part}"] [data-testid="part-records"]`).innerText()).toBe(
        String(PER_SLICE),
      )
    }
    expect(await result.getByTestId('split-held-out').innerText()).toContain('Test: chr22_c')
    await result.getByTestId('split-chart').locator('canvas').first().waitFor()
    await screenshot('split-chromosome')

    await byTestId('method-stratified').click()
    await byTestId('split-create').click()
    await expect.poll(() => result.getAttribute('data-testid')).toBe('split-result')
    await expect.poll(() => result.getByTestId('split-card').getAttribute('data-method')).toBe('stratified')
    const records = await result.getByTestId('part-records').allInnerTexts()
    expect(records.map(Number).reduce((a, b) => a + b, 0)).toBe(WINDOWS)
    expect(await byTestId('split-list').getByTestId('split-card').count()).toBe(1)
    expect(await byTestId('nav-splits').locator('[data-status]').getAttribute('data-status')).toBe('ready')
    await screenshot('split-stratified')
  })

  it('exports a split as CSV into the workspace', async () => {
    await byTestId('split-result').getByTestId('export-split-csv').click()
    const dialog = byTestId('save-file-dialog')
    await dialog.waitFor()
    await dialog.getByTestId('save-file-name').locator('input').fill('jund-stratified')
    await screenshot('export-dialog')
    await dialog.getByTestId('save-file-confirm').click()
    await expect
      .poll(() => byTestId('split-result').getByTestId('export-result').innerText())
      .toContain(`Saved ${WINDOWS} rows`)
    const csv = fs.readFileSync(path.join(workspace, 'jund-stratified.csv'), 'utf8').trim().split('\n')
    expect(csv[0]).toBe('seq,label,split')
    expect(csv).toHaveLength(WINDOWS + 1)
    expect(new Set(csv.slice(1).map((line) => line.split(',')[2]))).toEqual(new Set(['train', 'val', 'test']))
  })

  it('shows the splits with their class balance on the data set page', async () => {
    await byTestId('nav-data').click()
    await rowNamed('JunD slices').getByTestId('dataset-open').click()
    await byTestId('dataset-view').waitFor()
    await expect.poll(() => byTestId('split-card').count()).toBe(2)
    await byTestId('split-chart').first().locator('canvas').first().waitFor()
    expect(await byTestId('split-chart').first().getByTestId('balance-guidance').innerText()).toMatch(/“1”/)
    await byTestId('split-card').first().scrollIntoViewIfNeeded()
    await page.waitForTimeout(500)
    await screenshot('dataset-with-splits')
    expect(await overflowing()).toEqual([])
  })

  it('deletes a data set after a confirmation', async () => {
    await byTestId('nav-data').click()
    await rowNamed('Small CSV').getByTestId('dataset-delete').click()
    const dialog = byTestId('delete-dataset-dialog')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('Delete “Small CSV”?')
    await screenshot('delete-confirm')
    await dialog.getByTestId('delete-dataset-confirm').click()
    await expect.poll(() => rowNamed('Small CSV').count()).toBe(0)
    expect(await byTestId('dataset-row').count()).toBe(2)
    expect(await overflowing()).toEqual([])
  })

  it('reads in 简体中文 with no raw keys and nothing overflowing at 1366×768', async () => {
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'zh-CN')`)
    await page.reload()
    await byTestId('data-view').waitFor()
    await expect.poll(() => byTestId('data-view').locator('h1').innerText()).toBe('数据')
    await expect.poll(() => byTestId('balance-glance').count()).toBe(2)
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-data')

    await rowNamed('JunD slices').getByTestId('dataset-open').click()
    await byTestId('dataset-view').waitFor()
    await byTestId('split-chart').first().locator('canvas').first().waitFor()
    await page.waitForTimeout(500)
    expect(await byTestId('dataset-guidance').innerText()).toMatch(/每 \d+ 条记录中/)
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-dataset')

    await byTestId('make-split').click()
    await byTestId('split-form').waitFor()
    await byTestId('split-list').getByTestId('split-card').first().waitFor()
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-splits')

    await startWizard('fasta')
    await screenshot('zh-wizard-files')
    await pickFile('fasta', 'bad.fa')
    await next()
    await expect.poll(step).toBe('options')
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-wizard-options')
    await next()
    await byTestId('preview-problem').first().waitFor()
    expect(await byTestId('preview-problem').first().innerText()).toContain(
      'bad.fa 第 1,204 行：“J”不是 DNA 字母（第 10 列）',
    )
    expect(await rawKeys()).toEqual([])
    expect(await overflowing()).toEqual([])
    await screenshot('zh-wizard-bad-file')
  })

  it('ran without console errors, missing-key warnings or uncaught exceptions', () => {
    expect(pageProblems).toEqual([])
  })

  it('showed every screen without overflow or serious accessibility violations', () => {
    expect(screenIssues).toEqual([])
  })
})

/**
 * Exports, reports and what a model learned, in Chromium against the web bridge (issue 4, views 9 and 11).
 * A data set with a planted AP-1 site is imported, split, and a tiny CNN and a 4-mer logistic regression are
 * trained through the API; then in the UI, as a scientist would: in Results export a chart as PNG and the
 * CNN's model (two files in the workspace), open Reports from the CNN's row, read the metrics in the
 * preview, switch the report to 简体中文, save it, preview a comparison; open "What it learned" and see a
 * logo per filter with its JASPAR match and the mutagenesis map of a window. At 1366×768.
 * Screenshots: test-results/e2e/reports-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { bridge, type Bridge } from './support/bridge'
import { startServer, type RunningServer } from './support/server'

const WINDOWS = 400
const LENGTH = 101
const SITE = 'TGACTCA'
const FILTERS = 4

let tmp: string
let workspace: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
let projectId = ''
let cnnId = 0
let lrId = 0
const pageProblems: string[] = []
let shot = 0

function writePlantedFasta(file: string): void {
  let seed = 4242
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

/** The web bridge, for the set-up through the API. */
let api: Bridge

async function train(spec: Record<string, unknown>): Promise<number> {
  const { experimentId } = await api.call<{ experimentId: number }>('experiments.create', { projectId, spec })
  const { jobId } = await api.call<{ jobId: string }>('experiments.run', { projectId, experimentId })
  await api.waitForJob(jobId)
  return experimentId
}

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true })
  for (const name of fs.readdirSync(screenshotDir)) {
    if (name.startsWith('reports-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-reports-'))
  workspace = path.join(tmp, 'workspace')
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true })
  fs.mkdirSync(path.join(tmp, 'app-data'))
  fs.mkdirSync(path.join(tmp, 'downloads'))
  writePlantedFasta(path.join(workspace, 'data', 'planted.fa'))
  server = await startServer(workspace, path.join(tmp, 'app-data'))
  api = bridge(server)
  browser = await launchChromium()
  page = await openWatchedPage(browser, pageProblems)
})

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const byTestId = (id: string) => page.getByTestId(id)
const resultRow = (name: string) => page.locator(`[data-testid="result-row"][data-name="${name}"]`)
const frame = () => page.frameLocator('[data-testid="reports-frame"]')

async function screenshot(name: string, top?: string): Promise<void> {
  if (top)
    await byTestId(top)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.waitForTimeout(250)
  const file = `reports-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
}

/** Elements wider than their box at this window size, and a page that scrolls sideways. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.page, .page section, .row, .logo-card, .logos, .chart-frame, [data-testid="chart-body"], .layout, .choose, .preview, .window-choice'
    const out = [...document.querySelectorAll(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.closest('[data-testid]')?.getAttribute('data-testid') ?? '') + ' ' + el.tagName + '.' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)
    const main = document.querySelector('.shell-body')
    if (main && main.scrollWidth > main.clientWidth + 1) out.push('page scrolls sideways')
    return out
  })()`)
}

/** Fills the workspace save dialog with `name` and confirms. */
async function saveInWorkspace(name: string): Promise<void> {
  const dialog = byTestId('save-file-dialog')
  await dialog.waitFor()
  await dialog.getByTestId('save-file-name').locator('input').fill(name)
  await dialog.getByTestId('save-file-confirm').click()
  await dialog.waitFor({ state: 'hidden' })
}

describe('exports, reports and what the model learned, in Chromium', () => {
  it('trains a tiny CNN and a 4-mer baseline through the API', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('Reports e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('Reports e2e')
    projectId = decodeURIComponent(/#\/project\/([^/?]+)/.exec(page.url())![1]!)

    const fasta = await api.call<{ id: string; name: string }>('files.workspaceRef', {
      relativePath: 'data/planted.fa',
      mode: 'read',
    })
    const { jobId } = await api.call<{ jobId: string }>('datasets.import', {
      projectId,
      name: 'planted AP-1',
      kind: 'fasta',
      files: { fasta },
      options: { label: { from: 'token', key: 'label' } },
    })
    await api.waitForJob(jobId)
    const [dataset] = await api.call<{ datasetId: number }[]>('datasets.list', { projectId })
    const { splitId } = await api.call<{ splitId: number }>('splits.create', {
      projectId,
      datasetId: dataset!.datasetId,
      split: { method: 'stratified', val: 0.2, test: 0.2, seed: 1 },
    })
    const base = { datasetId: dataset!.datasetId, splitId, seed: 3 }
    cnnId = await train({
      ...base,
      name: 'tiny CNN',
      // Global max pooling learns a motif wherever it sits, from few windows.
      model: { kind: 'cnn', filters: FILTERS, kernelSize: 8, layers: 1, dropout: 0, head: 'globalMax' },
      training: { epochs: 10, batchSize: 16, optimizer: { lr: 0.02 } },
    })
    lrId = await train({
      ...base,
      name: '4-mer LR',
      model: { kind: 'logreg' },
      input: { encoding: 'kmer', k: 4 },
      training: { epochs: 3, batchSize: 32, optimizer: { lr: 0.05 } },
    })
    const cnn = await api.call<{ status: string; testAuroc: number }>('experiments.get', {
      projectId,
      experimentId: cnnId,
    })
    expect(cnn.status).toBe('done')
  })

  it('exports a chart as PNG and the CNN’s model from Results', async () => {
    await byTestId('nav-results').click()
    await byTestId('results-list').waitFor()
    await expect.poll(() => page.getByTestId('result-row').count()).toBe(2)
    const cnnRow = resultRow('tiny CNN')
    // Every finished row offers a report and the model; only the CNN what it learned.
    await cnnRow.getByTestId('result-actions').waitFor()
    expect(await cnnRow.getByTestId('result-learned').count()).toBe(1)
    expect(await resultRow('4-mer LR').getByTestId('result-learned').count()).toBe(0)
    expect(await resultRow('4-mer LR').getByTestId('export-model').count()).toBe(1)
    // The newest finished experiment is compared by default; its ROC curve exports as a real PNG.
    const roc = byTestId('compare-roc')
    await roc.locator('canvas').first().waitFor()
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      roc.getByTestId('export-png').click(),
    ])
    expect(download.suggestedFilename()).toBe('roc-test.png')
    const png = path.join(tmp, 'downloads', 'roc.png')
    await download.saveAs(png)
    expect(fs.readFileSync(png).subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))
    expect(fs.statSync(png).size).toBeGreaterThan(5_000)
    await screenshot('results-actions', 'results-list')

    await cnnRow.getByTestId('export-model').click()
    await saveInWorkspace('tiny-cnn')
    const done = byTestId('export-model-result')
    await done.waitFor({ timeout: 30_000 })
    expect(await done.innerText()).toContain('Workspace / tiny-cnn.json')
    expect(await done.innerText()).toContain('tiny-cnn.weights.bin')
    expect(await done.innerText()).toContain('tf.loadLayersModel')
    const json = JSON.parse(fs.readFileSync(path.join(workspace, 'tiny-cnn.json'), 'utf8'))
    expect(json.weightsManifest[0].paths).toEqual(['tiny-cnn.weights.bin'])
    expect(json.userDefinedMetadata.seqlab.input.shape).toEqual([LENGTH, 4])
    expect(fs.statSync(path.join(workspace, 'tiny-cnn.weights.bin')).size).toBeGreaterThan(100)
    expect(await overflowing()).toEqual([])
    await screenshot('model-exported', 'results-list')
  })

  it('opens the CNN’s report from its row: the preview shows its metrics, in English and 简体中文', async () => {
    await resultRow('tiny CNN').getByTestId('result-report').click()
    await byTestId('reports-view').waitFor()
    const detail = await api.call<{ metrics: { test: { auprc: number; auroc: number } } }>(
      'experiments.get',
      {
        projectId,
        experimentId: cnnId,
      },
    )
    const auprc = detail.metrics.test.auprc.toFixed(3)
    await expect
      .poll(() => frame().locator('[data-metric="test.auprc"]').innerText(), { timeout: 30_000 })
      .toBe(auprc)
    expect(await frame().locator('[data-metric="test.auroc"]').innerText()).toBe(
      detail.metrics.test.auroc.toFixed(3),
    )
    expect(await frame().locator('h1').innerText()).toBe('Experiment report: tiny CNN')
    expect(await frame().locator('[data-chart="roc"] svg').count()).toBe(1)
    expect(await frame().locator('main').innerText()).toContain(
      'Convolutional network: 1 convolution layer(s) of 4 filters',
    )
    // The frame is sandboxed: no script can run in it.
    expect(await byTestId('reports-frame').getAttribute('sandbox')).toBe('')
    expect(await overflowing()).toEqual([])
    await screenshot('preview')

    await byTestId('reports-language').getByText('简体中文').click()
    await expect.poll(() => frame().locator('h1').innerText(), { timeout: 30_000 }).toBe('实验报告：tiny CNN')
    expect(await frame().locator('main').innerText()).toContain('在验证集所选阈值下的混淆矩阵')
    await screenshot('preview-zh')

    await byTestId('reports-save').click()
    await saveInWorkspace('cnn report')
    await expect
      .poll(() => byTestId('reports-saved').innerText(), { timeout: 30_000 })
      .toContain('Workspace / cnn report.html')
    const saved = fs.readFileSync(path.join(workspace, 'cnn report.html'), 'utf8')
    expect(saved).toContain('<html lang="zh-CN">')
    expect(saved).toContain(`data-metric="test.auprc">${auprc}<`)
    await screenshot('saved')
  })

  it('previews a comparison of both experiments with the verdict in words', async () => {
    await byTestId('reports-language').getByText('English').click()
    await byTestId('reports-kind').getByText('A comparison').click()
    for (const name of ['tiny CNN', '4-mer LR'])
      await page.locator(`[data-testid="reports-pick"][data-name="${name}"]`).click()
    await expect
      .poll(() => frame().locator('h1').innerText(), { timeout: 30_000 })
      .toBe('Comparison of 2 experiments')
    expect(await frame().locator('[data-table="comparison"] tbody tr').count()).toBe(2)
    expect(await frame().locator(`[data-experiment="${lrId}"]`).count()).toBe(1)
    expect(await frame().locator('[data-verdicts] li').first().innerText()).toMatch(
      /vs “.+”: AUPRC [−+]?\d\.\d{3}, (a real difference|not a real difference: it could be chance)/,
    )
    expect(await overflowing()).toEqual([])
    await screenshot('comparison')
  })

  it('shows what the CNN learned: a logo per filter matched to JASPAR, and the mutagenesis of a window', async () => {
    await byTestId('nav-results').click()
    await resultRow('tiny CNN').getByTestId('result-learned').click()
    await byTestId('learned-view').waitFor()
    const cards = page.getByTestId('filter-card')
    await expect.poll(() => cards.count(), { timeout: 60_000 }).toBe(FILTERS)
    expect(await byTestId('learned-summary').innerText()).toMatch(
      /4 filters, 8 bases wide, read from \d+ test windows/,
    )
    // Each logo is drawn (letters as paths) and names its closest JASPAR matrix, or says it never fired.
    for (let i = 0; i < FILTERS; i++) {
      const card = cards.nth(i)
      expect(await card.getByTestId('sequence-logo').count()).toBe(1)
      expect(await card.getByTestId('filter-match').innerText()).toMatch(
        /^(Closest: .+ \(M[A-Z]\d{4}\.\d\), similarity -?\d\.\d\d, [+-] strand|This filter never fired)/,
      )
    }
    expect(await page.locator('[data-testid="sequence-logo"] path[data-letter]').count()).toBeGreaterThan(10)
    // The best-scoring test window is explained at once: the map and the tracks.
    const chart = byTestId('mutagenesis-chart')
    await chart.locator('canvas').first().waitFor({ timeout: 60_000 })
    expect(await byTestId('window-score').innerText()).toMatch(/^Score of w\d+: [01]\.\d{3}\.$/)
    expect(await overflowing()).toEqual([])
    await screenshot('learned', 'learned-filters')
    await screenshot('learned-window', 'learned-window')

    // The weights method, and a pasted window of the wrong length says what it needs.
    await byTestId('learned-method').getByText('From their weights').click()
    await expect.poll(() => byTestId('learned-summary').innerText()).toContain('read from their weights')
    await byTestId('window-paste').locator('textarea').fill('ACGTACGT')
    await byTestId('window-explain').click()
    await expect
      .poll(() => byTestId('learned-window').locator('[role="alert"]').innerText())
      .toContain('The model reads windows of 101 bases')
  })

  it('exports the data set’s class table and the split’s parts as CSV', async () => {
    await byTestId('nav-data').click()
    await page.getByText('planted AP-1').first().click()
    await byTestId('class-counts').waitFor()
    const save = async (scope: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 15_000 }),
        page.locator(scope).getByTestId('export-csv').first().click(),
      ])
      const file = path.join(tmp, 'downloads', download.suggestedFilename())
      await download.saveAs(file)
      return {
        name: download.suggestedFilename(),
        text: fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''),
      }
    }
    const classes = await save('.section:has([data-testid="class-counts"])')
    expect(classes.name).toBe('planted AP-1 - classes.csv')
    expect(classes.text.split('\r\n').slice(0, 3)).toEqual([
      'Class (as in the file),Stored as,Records,Share',
      '0,0,300,0.75',
      '1,1,100,0.25',
    ])
    const parts = await save('[data-testid="split-card"]')
    expect(parts.text.split('\r\n')[0]).toMatch(/^Part,Records,/)
    expect(parts.text).toContain('Test,80,20,0.25')
    await screenshot('dataset-csv')
  })

  it('reads the reports and the learned view in 简体中文 without problems', async () => {
    await page.evaluate("localStorage.setItem('seqlab.locale', 'zh-CN')")
    await page.goto(`${server!.url}#/project/${encodeURIComponent(projectId)}/results/${cnnId}/learned`)
    await page.reload()
    await byTestId('learned-view').waitFor()
    await expect.poll(() => page.getByTestId('filter-card').count(), { timeout: 60_000 }).toBe(FILTERS)
    expect(await page.locator('h1').first().innerText()).toContain('模型学到了什么')
    await byTestId('mutagenesis-chart').locator('canvas').first().waitFor({ timeout: 60_000 })
    expect(await overflowing()).toEqual([])
    await screenshot('learned-zh', 'learned-filters')
    await byTestId('nav-reports').click()
    await byTestId('reports-view').waitFor()
    await expect.poll(() => frame().locator('h1').innerText(), { timeout: 30_000 }).toContain('实验报告')
    expect(await overflowing()).toEqual([])
    await screenshot('reports-zh')
    await page.evaluate("localStorage.setItem('seqlab.locale', 'en')")
    expect(pageProblems).toEqual([])
  })
})

/**
 * Proteins in the UI (issue 4, views 4 and 10): 44 globins (haemoglobin α, β and myoglobin, from
 * ../shared/data/proteins/globins45.fa) imported through the API with their family as the label; in the UI a
 * homology split at 50 % identity, whose card shows the leakage check (0 above the threshold, the
 * histogram with its threshold line, part sizes against the requested fractions); then the PCA map of the
 * data set, coloured by label and by split part. Overflow and axe checks in English and 简体中文, at
 * 1366×768. Screenshots: test-results/e2e/proteins-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, openWatchedPage, screenshotDir } from './support/browser'
import { bridge, type Bridge } from './support/bridge'
import { screenProblems } from './support/checks'
import { repoRoot, startServer, type RunningServer } from './support/server'

const GLOBINS = path.resolve(repoRoot, '../shared/data/proteins/globins45.fa')

let tmp: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
let api: Bridge
let projectId = ''
let datasetId = 0
const pageProblems: string[] = []
let shot = 0

/** The globins with `family=HBA|HBB|MYG` in their headers (the one HBE is left out). */
function writeGlobins(file: string): number {
  const text = fs.readFileSync(GLOBINS, 'utf8')
  const out: string[] = []
  for (const block of text.split('>').slice(1)) {
    const [header, ...lines] = block.split('\n')
    const id = header!.trim().split(/\s+/)[0]!
    const family = id.slice(0, 3)
    if (!['HBA', 'HBB', 'MYG'].includes(family)) continue
    out.push(`>${id} family=${family}`, lines.join('').replace(/\s+/g, ''))
  }
  fs.writeFileSync(file, out.join('\n') + '\n')
  return out.length / 2
}

beforeAll(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true })
  for (const name of fs.readdirSync(screenshotDir)) {
    if (name.startsWith('proteins-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-proteins-'))
  const workspace = path.join(tmp, 'workspace')
  fs.mkdirSync(path.join(workspace, 'data'), { recursive: true })
  fs.mkdirSync(path.join(tmp, 'app-data'))
  writeGlobins(path.join(workspace, 'data', 'globins.fa'))
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

async function screenshot(name: string, top?: string): Promise<void> {
  if (top)
    await byTestId(top)
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await page.waitForTimeout(300)
  const file = `proteins-${String(shot++).padStart(2, '0')}-${name}.png`
  await page.screenshot({ path: path.join(screenshotDir, file), animations: 'disabled' })
}

async function setLanguage(code: 'en' | 'zh-CN'): Promise<void> {
  await byTestId('settings-link').click()
  await byTestId('settings-view').waitFor()
  await byTestId(`language-${code}`).click()
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(code)
}

describe('proteins: homology split and PCA map, in Chromium', () => {
  it('imports 44 globins labelled by family through the API', async () => {
    await page.goto(server!.url)
    await byTestId('new-project').click()
    await byTestId('project-name-input').fill('Globins e2e')
    await byTestId('create-project-submit').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe('Globins e2e')
    projectId = decodeURIComponent(/#\/project\/([^/?]+)/.exec(page.url())![1]!)
    const fasta = await api.call<{ id: string; name: string }>('files.workspaceRef', {
      relativePath: 'data/globins.fa',
      mode: 'read',
    })
    const { jobId } = await api.call<{ jobId: string }>('datasets.import', {
      projectId,
      name: 'globins',
      kind: 'fasta',
      files: { fasta },
      options: {
        alphabet: 'protein',
        label: { from: 'token', key: 'family' },
        labels: { kind: 'multiclass' },
      },
    })
    await api.waitForJob(jobId)
    const [dataset] = await api.call<{ datasetId: number; records: number }[]>('datasets.list', { projectId })
    expect(dataset!.records).toBe(44)
    datasetId = dataset!.datasetId
  })

  it('makes a homology split at 50 % in the UI and shows its leakage check', async () => {
    await byTestId('nav-splits').click()
    await byTestId('split-form').waitFor()
    await byTestId('method-homology').click()
    await byTestId('split-homology').waitFor()
    const threshold = byTestId('split-threshold').locator('input')
    await threshold.fill('50')
    await threshold.blur()
    await screenshot('homology-form', 'split-form')
    expect(await screenProblems(page, 'homology form')).toEqual([])
    await byTestId('split-create').click()
    const card = byTestId('split-result').getByTestId('split-card')
    await card.getByTestId('split-leakage').waitFor({ timeout: 60_000 })
    expect(await card.getAttribute('data-method')).toBe('homology')
    expect(await card.getByTestId('leakage-verdict').getAttribute('data-above')).toBe('0')
    expect(await card.getByTestId('leakage-verdict').textContent()).toContain(
      'No test sequence has a training relative above 50%',
    )
    expect(await card.getByTestId('leakage-above').textContent()).toContain('0')
    await card.getByTestId('leakage-chart').locator('canvas').first().waitFor()
    expect(await card.getByTestId('split-shares').locator('tbody tr').count()).toBe(3)
    await screenshot('homology-card', 'split-result')
    await card.getByTestId('split-leakage').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot('leakage-chart')
    expect(await screenProblems(page, 'homology split card')).toEqual([])
    const splits = await api.call<{ leakage?: { above: number } }[]>('splits.list', { projectId, datasetId })
    expect(splits[0]!.leakage!.above).toBe(0)
  })

  it('draws the PCA map coloured by label, then by split part', async () => {
    await page.goto(
      `${server!.url.split('#')[0]}#/project/${encodeURIComponent(projectId)}/data/${datasetId}`,
    )
    const map = byTestId('embedding-view')
    await map.getByTestId('embedding-chart').waitFor({ timeout: 60_000 })
    await map.locator('canvas').first().waitFor()
    expect(await map.getByTestId('embedding-chart').getAttribute('data-colour-by')).toBe('label')
    expect(await map.getByTestId('embedding-chart').getAttribute('data-groups')).toBe('3')
    expect(await map.getByTestId('embedding-caption').textContent()).toContain('All 44 records are shown')
    await screenshot('map-by-label', 'embedding-view')
    expect(await screenProblems(page, 'PCA map by label')).toEqual([])
    await map.getByTestId('colour-split').click()
    await expect.poll(() => map.getByTestId('embedding-chart').getAttribute('data-colour-by')).toBe('split')
    await map.getByTestId('embedding-split').waitFor()
    const groups = Number(await map.getByTestId('embedding-chart').getAttribute('data-groups'))
    expect(groups).toBeGreaterThanOrEqual(3)
    await screenshot('map-by-split', 'embedding-view')
    expect(await screenProblems(page, 'PCA map by split')).toEqual([])
  })

  it('shows both screens in 简体中文', async () => {
    await setLanguage('zh-CN')
    await page.goto(
      `${server!.url.split('#')[0]}#/project/${encodeURIComponent(projectId)}/data/${datasetId}`,
    )
    const map = byTestId('embedding-view')
    await map.getByTestId('embedding-chart').waitFor({ timeout: 60_000 })
    expect(await map.locator('h2').first().textContent()).toContain('记录分布图')
    await screenshot('map-zh', 'embedding-view')
    expect(await screenProblems(page, 'PCA map zh')).toEqual([])
    await byTestId('nav-splits').click()
    const card = byTestId('split-list').getByTestId('split-card').first()
    await card.getByTestId('split-leakage').waitFor()
    expect(await card.getByTestId('leakage-verdict').textContent()).toContain('没有任何测试序列')
    await card.getByTestId('split-leakage').evaluate((el) => el.scrollIntoView({ block: 'start' }))
    await screenshot('leakage-zh')
    expect(await screenProblems(page, 'homology split card zh')).toEqual([])
    await setLanguage('en')
    expect(pageProblems).toEqual([])
  })
})

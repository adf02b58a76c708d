/**
 * The chart and table components on the gallery route (/dev/gallery), in Chromium against the web bridge:
 * each renders, each export downloads a real PNG/SVG/CSV, nothing overflows at 1366×768, no two labels of
 * a chart overlap (measured on the SVG export), the live training chart grows in place, the threshold
 * slider drives both confusion matrices; in English, in Chinese, and dark.
 * Screenshots: test-results/e2e/components-*.png.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshotDir } from './support/browser'
import { screenProblems } from './support/checks'
import { startServer, type RunningServer } from './support/server'

const CHARTS = [
  'chart-balance',
  'chart-resampling',
  'chart-chromosomes',
  'chart-clusters',
  'chart-training',
  'chart-roc',
  'chart-pr',
  'chart-confusion-val',
  'chart-confusion-test',
  'chart-confusion-k',
  'chart-track',
] as const

let tmp: string
let server: RunningServer | undefined
let browser: Browser | undefined
let page: Page
const pageProblems: string[] = []

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-components-'))
  fs.mkdirSync(path.join(tmp, 'workspace'))
  fs.mkdirSync(path.join(tmp, 'app-data'))
  fs.mkdirSync(path.join(tmp, 'downloads'))
  server = await startServer(path.join(tmp, 'workspace'), path.join(tmp, 'app-data'))
  browser = await launchChromium()
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
    colorScheme: 'light',
    acceptDownloads: true,
  })
  page = await context.newPage()
  // Notes each file the app hands to the browser (the Blob and the <a download> name), so a check can read
  // an export without a download, and a missing download event can be told apart from a missing click.
  await page.addInitScript(`(() => {
    const createObjectURL = URL.createObjectURL
    URL.createObjectURL = function (blob) { window.__lastBlob = blob; return createObjectURL.call(this, blob) }
    const click = HTMLAnchorElement.prototype.click
    window.__saved = []
    HTMLAnchorElement.prototype.click = function () { if (this.download) window.__saved.push(this.download); return click.call(this) }
  })()`)
  page.on('console', (message) => {
    if (message.type() === 'error' || /Not found '.*' key/.test(message.text()))
      pageProblems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (err) => pageProblems.push(`page error: ${err.message}`))
  await openGallery()
})

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const byTestId = (id: string) => page.getByTestId(id)

async function openGallery(): Promise<void> {
  await page.goto(`${server!.url}#/dev/gallery`)
  await byTestId('component-gallery').waitFor()
  await waitForCharts()
}

/** Every chart has drawn its canvas (ECharts creates it on the first render). */
async function waitForCharts(): Promise<void> {
  for (const id of CHARTS) await byTestId(id).locator('canvas').first().waitFor()
  // Let the entry animations finish before pictures and measurements.
  await page.waitForTimeout(600)
}

interface Saved {
  name: string
  bytes: Buffer
}

/**
 * Clicks an export button and returns the downloaded file (a real download event, saved to disk).
 * Chromium's guard against "multiple automatic downloads" now and then drops one of a quick series even
 * though it came from a click; when the page did hand over the file, the click is repeated once.
 */
async function download(scope: Locator, button: 'export-png' | 'export-svg' | 'export-csv'): Promise<Saved> {
  const where = `${await scope.getAttribute('data-testid')} ${button}`
  const attempt = async (timeout: number) => {
    const saved = await page.evaluate<number>('window.__saved.length')
    const [event] = await Promise.all([
      page.waitForEvent('download', { timeout }).catch(() => undefined),
      scope.getByTestId(button).first().click(),
    ])
    const handedOver = (await page.evaluate<number>('window.__saved.length')) > saved
    return { event, handedOver }
  }
  let { event, handedOver } = await attempt(5_000)
  if (!event && handedOver) ({ event, handedOver } = await attempt(15_000))
  if (!event)
    throw new Error(`no download from ${where} (the page ${handedOver ? 'did' : 'did not'} save a file)`)
  const name = event.suggestedFilename()
  const file = path.join(tmp, 'downloads', `${Date.now()}-${name}`)
  await event.saveAs(file)
  return { name, bytes: fs.readFileSync(file) }
}

/** The text of the file an export button hands to the browser (for checks on its content). */
async function exported(scope: Locator, button: 'export-svg' | 'export-csv'): Promise<string> {
  await page.evaluate('window.__lastBlob = undefined')
  await scope.getByTestId(button).first().click()
  return page.evaluate<string>('window.__lastBlob.text()')
}

/** Text of an SVG's <text> elements (ECharts writes one per label line). */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&'),
  )
}

/**
 * Lays the exported SVG out in the page and measures its labels: text that runs outside the drawing, and
 * pairs of labels that overlap. Labels can be rotated (axis labels at 40°), so each is a quadrilateral
 * (its box through its transform) and pairs are tested by separating axes; each quad is first shrunk by
 * 15% about its centre, so glyph padding touching is not an overlap, covered letters are.
 * A string expression: this file is compiled without the DOM's types.
 */
async function labelProblems(svg: string): Promise<string[]> {
  return page.evaluate(`(() => {
    const host = document.createElement('div')
    host.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;pointer-events:none'
    host.innerHTML = ${JSON.stringify(svg)}
    document.body.append(host)
    const root = host.querySelector('svg').getBoundingClientRect()
    const quads = [...host.querySelectorAll('text')]
      .filter((t) => t.textContent.trim() && t.getAttribute('fill-opacity') !== '0' && t.getAttribute('opacity') !== '0')
      .map((t) => {
        const b = t.getBBox()
        const m = t.getScreenCTM()
        const at = (x, y) => ({ x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f })
        return { text: t.textContent, points: [at(b.x, b.y), at(b.x + b.width, b.y), at(b.x + b.width, b.y + b.height), at(b.x, b.y + b.height)] }
      })
      .filter((q) => q.points[0].x !== q.points[2].x)
    const shrink = (points) => {
      const cx = points.reduce((s, p) => s + p.x, 0) / 4, cy = points.reduce((s, p) => s + p.y, 0) / 4
      return points.map((p) => ({ x: cx + (p.x - cx) * 0.85, y: cy + (p.y - cy) * 0.85 }))
    }
    const separated = (a, b) => {
      for (const poly of [a, b])
        for (let i = 0; i < 4; i++) {
          const p = poly[i], q = poly[(i + 1) % 4]
          const nx = q.y - p.y, ny = p.x - q.x
          const project = (pts) => pts.map((r) => r.x * nx + r.y * ny)
          const pa = project(a), pb = project(b)
          if (Math.max(...pa) < Math.min(...pb) || Math.max(...pb) < Math.min(...pa)) return true
        }
      return false
    }
    const problems = []
    for (const q of quads)
      if (q.points.some((p) => p.x < root.left - 1 || p.x > root.right + 1 || p.y < root.top - 1 || p.y > root.bottom + 1))
        problems.push('outside: ' + q.text)
    const small = quads.map((q) => shrink(q.points))
    for (let i = 0; i < quads.length; i++)
      for (let j = i + 1; j < quads.length; j++)
        if (!separated(small[i], small[j])) problems.push('overlap: "' + quads[i].text + '" / "' + quads[j].text + '"')
    host.remove()
    return problems
  })()`)
}

/** Elements wider than their box at this window size: chart frames and bodies, captions, table cells. */
async function overflowing(): Promise<string[]> {
  return page.evaluate(`(() => {
    const selector = '.chart-frame, [data-testid="chart-body"], .chart-caption, .chart-head, .metrics-table, .metrics-table td, .metrics-table th'
    const out = [...document.querySelectorAll(selector)]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => (el.closest('[data-testid]')?.getAttribute('data-testid') ?? '') + ' ' + el.className + ' ' + el.scrollWidth + '>' + el.clientWidth)
    const main = document.querySelector('.shell-body')
    if (main && main.scrollWidth > main.clientWidth + 1) out.push('page scrolls sideways')
    return out
  })()`)
}

/** Screenshots of the gallery, section by section, as test-results/e2e/components-<prefix>-<n>.png. */
async function screenshots(prefix: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true })
  const sections: [string, string][] = [
    ['balance', 'chart-balance'],
    ['resampling', 'chart-resampling'],
    ['chromosomes', 'chart-chromosomes'],
    ['clusters', 'chart-clusters'],
    ['training', 'chart-training'],
    ['roc-pr', 'chart-roc'],
    ['metrics', 'table-metrics'],
    ['confusion', 'chart-confusion-val'],
    ['confusion-k', 'chart-confusion-k'],
    ['track', 'chart-track'],
  ]
  for (const [name, id] of sections) {
    const target = name === 'roc-pr' || name === 'confusion' ? byTestId(id).locator('..') : byTestId(id)
    await target.scrollIntoViewIfNeeded()
    await target.screenshot({
      path: path.join(screenshotDir, `components-${prefix}-${name}.png`),
      animations: 'disabled',
    })
  }
  await byTestId('component-gallery').evaluate((el) => el.parentElement!.scrollTo(0, 0))
  await page.screenshot({
    path: path.join(screenshotDir, `components-${prefix}-window.png`),
    animations: 'disabled',
  })
}

describe('chart and table components, in Chromium at 1366×768', () => {
  it('renders every chart on a canvas, with its title', async () => {
    for (const id of CHARTS) {
      const chart = byTestId(id)
      expect(await chart.locator('canvas').count(), id).toBeGreaterThan(0)
      const box = await chart.getByTestId('chart-body').boundingBox()
      expect(box!.width, id).toBeGreaterThan(300)
      expect((await chart.locator('.chart-title').innerText()).trim(), id).not.toBe('')
    }
    expect(await byTestId('chart-roc').locator('.chart-title').innerText()).toBe('ROC curves, test part')
    expect(await byTestId('chart-confusion-val').locator('.chart-title').innerText()).toBe(
      'Confusion matrix, validation part',
    )
  })

  it('exports each chart as a PNG and an SVG that hold its legend and labels', async () => {
    const expectations: Record<string, RegExp[]> = {
      'chart-balance': [/not bound/, /^bound$/, /Training/, /Records \(count\)/],
      'chart-resampling': [/Before/, /After/, /\+200%/],
      // Long names are cut in the legend (in full in its tooltip); the AUROC always shows.
      'chart-roc': [
        /^Seed CNN \(dropout \+ c.*… · AUROC 0\.\d{3}$/,
        /^Seed CNN without dropout · AUROC 0\.\d{3}$/,
        /^random guessing$/,
        /False positive rate/,
      ],
      'chart-pr': [/· AUPRC 0\.\d{3}/, /random guessing: 0\.01\d/, /Precision/],
      'chart-training': [/Seed CNN without dropout/, /Epoch/, /AUPRC \(0–1\)/, /Loss/],
      'chart-confusion-val': [/Predicted class/, /True class/, /%$/],
      'chart-track': [/Position on chr22 \(bp\)/, /threshold 0\.\d{3}/],
    }
    for (const id of CHARTS) {
      const chart = byTestId(id)
      const png = await download(chart, 'export-png')
      expect(png.name, id).toMatch(/\.png$/)
      expect(png.bytes.subarray(0, 8).toString('hex'), id).toBe('89504e470d0a1a0a')
      expect(png.bytes.length, id).toBeGreaterThan(5_000)

      const svg = await download(chart, 'export-svg')
      expect(svg.name, id).toMatch(/\.svg$/)
      const text = svg.bytes.toString('utf8')
      expect(text, id).toMatch(/^<svg[\s>]/)
      const labels = svgTexts(text)
      expect(labels.length, id).toBeGreaterThan(3)
      for (const pattern of expectations[id] ?? [])
        expect(
          labels.some((l) => pattern.test(l)),
          `${id}: ${pattern} in ${labels.join(' | ')}`,
        ).toBe(true)
    }
  })

  it('exports the metrics table as a CSV a spreadsheet opens', async () => {
    const csv = await download(byTestId('table-metrics'), 'export-csv')
    expect(csv.name).toBe('metrics-test.csv')
    const text = csv.bytes.toString('utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const lines = text.slice(1).trimEnd().split('\r\n')
    expect(lines).toHaveLength(5)
    expect(lines[0]).toMatch(/^Experiment,AUPRC,AUPRC CI low,AUPRC CI high,AUPRC sd,"?Positive rate/)
    // The experiment name with commas is quoted, its numbers raw (not "0.912 (95% CI …)").
    const lr = lines.find((l) =>
      l.startsWith('"Logistic regression baseline on 3-mer counts, L2 penalty, 5-fold CV"'),
    )
    expect(lr).toBeDefined()
    expect(lr!.split(',')[3]).toMatch(/^0\.\d+$/)
    expect(text).toMatch(/Best/)
  })

  it('lays out AUPRC first with random guessing beside it, sorts, and says which differences are real', async () => {
    const table = byTestId('table-metrics')
    const headers = await table.locator('th').allInnerTexts()
    expect(headers.map((h) => h.trim()).slice(0, 4)).toEqual([
      'Experiment',
      'AUPRC',
      'Random guessing',
      'ROC-AUC',
    ])
    expect(headers.join(' ')).not.toMatch(/^Accuracy$/m)
    expect(headers.join(' ')).toContain('Difference vs best: real?')

    const auprcOf = async () =>
      (
        await table
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => r.children[1]!.textContent ?? ''))
      ).map((t) => Number(t.slice(0, 5)))
    // Sorted by AUPRC, best first, and the best row says so.
    const initial = await auprcOf()
    expect(initial).toEqual([...initial].sort((a, b) => b - a))
    expect(await table.locator('tbody tr').first().innerText()).toContain('Best')
    expect(await table.innerText()).toMatch(/95% CI 0\.\d{3} to 0\.\d{3}/)
    expect(await table.innerText()).toMatch(/± 0\.011 \(sd\)/)
    expect(await table.locator('[data-verdict="real"]').count()).toBeGreaterThan(0)
    expect(await table.locator('[data-verdict="notReal"]').count()).toBeGreaterThan(0)

    // A click on AUPRC reverses the order.
    await table
      .locator('th')
      .filter({ hasText: /^AUPRC$/ })
      .click()
    await expect.poll(auprcOf).toEqual([...initial].sort((a, b) => a - b))
    await table
      .locator('th')
      .filter({ hasText: /^AUPRC$/ })
      .click()
  })

  it('reads the class balance in words and shows the weights on request', async () => {
    const chart = byTestId('chart-balance')
    const guidance = await chart.getByTestId('balance-guidance').innerText()
    expect(guidance).toMatch(/Only 1 record in 238 is “bound”: accuracy is meaningless here/)
    expect(guidance).toMatch(/always answering “not bound” scores 99\.6%/)
    expect(guidance).toMatch(/random guessing gives 0\.004/)
    expect(await chart.getByTestId('balance-rates').innerText()).toContain(
      'Training: 0.42% “bound” (1 in 236)',
    )

    await chart.getByTestId('balance-weights').click()
    expect(await chart.getByTestId('balance-weight-note').innerText()).toMatch(
      /weighs as much as 235\.5 “not bound”/,
    )
    const svg = await exported(chart, 'export-svg')
    expect(svgTexts(svg)).toContain('Sum of training weights')
    expect(svgTexts(svg)).toContain('138,108')
    await chart.getByTestId('balance-counts').click()
  })

  it('moves the threshold on validation and applies it to test', async () => {
    const val = byTestId('chart-confusion-val')
    const test = byTestId('chart-confusion-test')
    expect(await val.getByTestId('confusion-part').innerText()).toContain(
      'Validation part: move the threshold here',
    )
    expect(await test.getByTestId('confusion-part').innerText()).toContain(
      'Test part, at the threshold chosen on validation',
    )
    // Only validation has a slider; test shows the threshold it was given.
    expect(await test.getByTestId('threshold-slider').count()).toBe(0)
    expect(await test.getByTestId('confusion-part').innerText()).toContain('at least 0.250')

    const before = await test.getByTestId('confusion-reading').innerText()
    const handle = val.getByRole('slider', { name: 'Threshold' })
    await handle.focus()
    for (let i = 0; i < 100; i++) await page.keyboard.press('ArrowRight')
    await expect.poll(() => test.getByTestId('confusion-part').innerText()).toContain('at least 0.350')
    const after = await test.getByTestId('confusion-reading').innerText()
    expect(after).not.toBe(before)
    // A higher threshold calls fewer records positive.
    const called = (text: string) => Number(/Of ([\d,]+) records called/.exec(text)![1]!.replace(/,/g, ''))
    expect(called(after)).toBeLessThan(called(before))
  })

  it('grows the live training chart in place when an epoch arrives', async () => {
    const chart = byTestId('chart-training')
    const canvas = await chart.locator('canvas').first().elementHandle()
    const picture = () => chart.getByTestId('chart-body').screenshot({ animations: 'disabled' })
    const before = await picture()
    const labelsBefore = svgTexts(await exported(chart, 'export-svg'))
    for (let i = 0; i < 3; i++) await byTestId('gallery-add-epoch').click()
    await page.waitForTimeout(500)
    // The same canvas (the chart was updated, not rebuilt), and it shows something new.
    expect(await canvas!.evaluate((el) => el.isConnected)).toBe(true)
    expect(
      await chart
        .locator('canvas')
        .first()
        .evaluate((el, old) => el === old, canvas),
    ).toBe(true)
    expect((await picture()).equals(before)).toBe(false)
    expect(svgTexts(await exported(chart, 'export-svg'))).toEqual(labelsBefore)
    expect(await chart.getByTestId('training-best').innerText()).toContain('Logistic regression')
  })

  it('has a label check that sees overlapping, rotated and clipped labels', async () => {
    const svg = (texts: string) =>
      `<svg width="300" height="200" xmlns="http://www.w3.org/2000/svg">${texts}</svg>`
    // Two labels on top of each other, and one running off the right edge.
    expect(
      await labelProblems(
        svg(
          '<text x="20" y="50">random guessing</text><text x="40" y="52">Seed CNN</text><text x="250" y="120">chr22 position</text>',
        ),
      ),
    ).toEqual(['outside: chr22 position', 'overlap: "random guessing" / "Seed CNN"'])
    // Rotated neighbours 24 px apart: their upright boxes would overlap, the labels themselves do not.
    const rotated = [0, 1, 2]
      .map(
        (i) => `<text transform="translate(${40 + 24 * i} 150) rotate(-40)" x="0" y="0">Cluster ${i}</text>`,
      )
      .join('')
    expect(await labelProblems(svg(rotated))).toEqual([])
  })

  it('overflows nothing and overlaps no labels at 1366×768 in English', async () => {
    expect(await overflowing()).toEqual([])
    expect(await screenProblems(page, 'gallery-en')).toEqual([])
    for (const id of CHARTS) {
      expect(await labelProblems(await exported(byTestId(id), 'export-svg')), id).toEqual([])
    }
    await screenshots('en')
  })

  it('reads in Chinese, with every string translated, and still fits', async () => {
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'zh-CN')`)
    await openGallery()
    expect(await byTestId('chart-roc').locator('.chart-title').innerText()).toBe('ROC 曲线（测试集）')
    expect(await byTestId('chart-balance').getByTestId('balance-guidance').innerText()).toMatch(
      /每 238 条记录中只有 1 条是“bound”/,
    )
    // No message key leaked into the page (a missing translation shows its key).
    const text = await byTestId('component-gallery').innerText()
    expect(text).not.toMatch(/\b(charts|tables|format)\.[a-zA-Z]+/)
    const pr = svgTexts(await exported(byTestId('chart-pr'), 'export-svg'))
    expect(
      pr.some((l) => /^随机猜测：0\.01\d$/.test(l)),
      pr.join(' | '),
    ).toBe(true)
    expect(pr.some((l) => l.startsWith('精确率'))).toBe(true)
    const csv = await exported(byTestId('table-metrics'), 'export-csv')
    // (Blob.text() has already dropped the byte-order mark.)
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^实验,AUPRC,/)

    expect(await overflowing()).toEqual([])
    expect(await screenProblems(page, 'gallery-zh')).toEqual([])
    for (const id of CHARTS) {
      expect(await labelProblems(await exported(byTestId(id), 'export-svg')), id).toEqual([])
    }
    await screenshots('zh')
  })

  it('follows a dark system theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(600)
    const svg = await exported(byTestId('chart-roc'), 'export-svg')
    // The export keeps the on-screen background, and the axis text is light.
    expect(svg).toMatch(/fill="#18181c"/)
    expect(svg).toMatch(/fill="rgba?\(255,\s*255,\s*255/)
    await screenshots('dark-zh')
    await page.emulateMedia({ colorScheme: 'light' })
    await page.evaluate(`localStorage.setItem('seqlab.locale', 'en')`)
  })

  it('ran without console errors, missing-key warnings or uncaught exceptions', () => {
    expect(pageProblems).toEqual([])
  })
})

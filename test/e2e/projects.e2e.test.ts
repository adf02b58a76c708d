/**
 * What a scientist does first, in Chromium against the web bridge: create a project, find it again after
 * a reload and after a restart, rename it, delete a scratch one, read the app in Chinese, check the engine.
 * Screenshots of each step go to test-results/e2e/.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, screenshot as saveScreenshot, screenshotDir } from './support/browser'
import { screenProblems } from './support/checks'
import { startServer, type RunningServer } from './support/server'

const PROJECT = 'JunD on chr22'
const RENAMED = 'JunD on chr22, 101-bp windows'

let tmp: string
let workspace: string
let appData: string
let server: RunningServer | undefined
let browser: Browser | undefined
let context: BrowserContext
let page: Page
/** Console errors and uncaught exceptions (a CSP violation shows up here too). */
const pageProblems: string[] = []
/** Overflow and serious accessibility problems of each screen pictured (support/checks.ts). */
const screenIssues: string[] = []

beforeAll(async () => {
  // Only this suite's screenshots: the other e2e suites write into the same folder.
  fs.mkdirSync(screenshotDir, { recursive: true })
  for (const name of fs.readdirSync(screenshotDir)) {
    if (name.startsWith('projects-')) fs.rmSync(path.join(screenshotDir, name), { force: true })
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seqlab-e2e-'))
  workspace = path.join(tmp, 'workspace')
  appData = path.join(tmp, 'app-data')
  fs.mkdirSync(workspace)
  fs.mkdirSync(appData)
  server = await startServer(workspace, appData)
  browser = await launchChromium()
  context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
    colorScheme: 'light',
  })
  page = await context.newPage()
  page.on('console', (message) => {
    // The restart test stops the server on purpose; the events socket failing to reconnect then is expected.
    const droppedSocket = /WebSocket connection to .*\/api\/events/.test(message.text())
    if (message.type() === 'error' && !droppedSocket)
      pageProblems.push(`console: ${message.text()} ${message.location().url}`)
  })
  page.on('pageerror', (err) => pageProblems.push(`page error: ${err.message}`))
})

afterAll(async () => {
  // Each step on its own, so one failure does not leave the other process running.
  await browser?.close().catch(() => undefined)
  await server?.stop().catch(() => undefined)
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
})

const byTestId = (id: string) => page.getByTestId(id)

/** The picture of a screen, and its checks. */
async function screenshot(shown: Page, name: string): Promise<void> {
  await saveScreenshot(shown, name)
  screenIssues.push(...(await screenProblems(shown, name)))
}
const recentNamed = (name: string) =>
  byTestId('recent-project').filter({
    has: page.getByTestId('recent-project-name').getByText(name, { exact: true }),
  })

async function createProject(name: string): Promise<void> {
  await byTestId('new-project').click()
  await byTestId('project-name-input').fill(name)
  await byTestId('create-project-submit').click()
  await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(name)
}

describe('projects, end to end in Chromium', () => {
  it('opens on the Projects view with no projects yet', async () => {
    await page.goto(server!.url)
    await byTestId('projects-view').waitFor()
    await byTestId('recent-projects').or(page.getByText('No projects yet')).first().waitFor()
    expect(await page.getByRole('heading', { name: 'Projects', exact: true }).isVisible()).toBe(true)
    expect(await byTestId('recent-project').count()).toBe(0)
    // The launch token is traded for a cookie and does not stay in the address bar.
    expect(page.url()).not.toContain(server!.token)
    await screenshot(page, 'projects-00-projects-empty')
  })

  it('refuses a project without a name, inline, then creates "JunD on chr22"', async () => {
    await byTestId('new-project').click()
    await byTestId('new-project-dialog').waitFor()
    await byTestId('create-project-submit').click()
    await page.getByText('A project needs a name.').waitFor()
    await screenshot(page, 'projects-01-new-project-validation')

    await byTestId('project-name-input').fill(PROJECT)
    await expect.poll(() => page.getByText('A project needs a name.').count()).toBe(0)
    await byTestId('create-project-submit').click()

    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(PROJECT)
    expect(await byTestId('header-project-name').innerText()).toBe(PROJECT)
    expect(await byTestId('overview-path').innerText()).toMatch(/\.seqlab$/)
    expect(await byTestId('count-datasets').innerText()).toContain('0')
    expect(await byTestId('next-step').innerText()).toContain('Import a data set')
    // Every workflow step is listed, in order, with a status mark.
    const steps = await page
      .locator('[data-testid^="nav-"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')))
    expect(steps).toEqual([
      'nav-overview',
      'nav-data',
      'nav-splits',
      'nav-train',
      'nav-results',
      'nav-predict',
      'nav-reports',
    ])
    expect(await byTestId('nav-data').locator('[data-status]').getAttribute('data-status')).toBe('empty')
    await expect.poll(() => byTestId('overview-engine').innerText()).toMatch(/tensorflow|wasm|cpu/)
    await screenshot(page, 'projects-02-overview')
  })

  it('opens a real page for every workflow step (none is a placeholder any more)', async () => {
    for (const step of ['data', 'splits', 'train', 'results', 'predict', 'reports']) {
      await byTestId(`nav-${step}`).click()
      await byTestId(`${step}-view`).waitFor()
      expect(await byTestId('step-placeholder').count(), step).toBe(0)
    }
    // The last step, empty in a new project, says what to do first.
    await screenshot(page, 'projects-03-reports-empty')
    await byTestId('nav-overview').click()
  })

  it('keeps the project after a reload, and lists it in recent projects', async () => {
    await page.reload()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(PROJECT)

    await byTestId('home-link').click()
    await recentNamed(PROJECT).waitFor()
    expect(await recentNamed(PROJECT).innerText()).toContain('Opened just now')
    expect(await recentNamed(PROJECT).getByTestId('recent-missing').count()).toBe(0)
    await screenshot(page, 'projects-04-recent-projects')
  })

  it('keeps the project after the server restarts (it is in the file, not in memory)', async () => {
    await server!.stop()
    server = await startServer(workspace, appData)
    await page.goto(server.url)
    await recentNamed(PROJECT).waitFor()
    await recentNamed(PROJECT).getByTestId('recent-open').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(PROJECT)
  })

  it('renames the project inline on the overview', async () => {
    await byTestId('overview-rename').click()
    const input = byTestId('overview-name-input').locator('input')
    await input.fill('   ')
    await byTestId('overview-name-save').click()
    await page.getByText('A project needs a name.').waitFor()
    await input.fill(RENAMED)
    await byTestId('overview-name-save').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(RENAMED)
    expect(await byTestId('header-project-name').innerText()).toBe(RENAMED)
    await screenshot(page, 'projects-05-renamed')

    await byTestId('home-link').click()
    await recentNamed(RENAMED).waitFor()
    expect(await recentNamed(PROJECT).count()).toBe(0)
  })

  it('renames from the list and deletes a project after a confirmation that names it', async () => {
    await createProject('Scratch')
    await byTestId('home-link').click()
    await recentNamed('Scratch').getByTestId('recent-rename').click()
    await byTestId('rename-project-dialog').waitFor()
    await byTestId('project-name-input').fill('Scratch run')
    await byTestId('rename-project-submit').click()
    await recentNamed('Scratch run').waitFor()

    const scratchFiles = () => fs.readdirSync(workspace).filter((name) => name.startsWith('scratch'))
    expect(scratchFiles()).toContain('scratch.seqlab')
    await recentNamed('Scratch run').getByTestId('recent-delete').click()
    const dialog = byTestId('delete-project-dialog')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain('Delete “Scratch run”?')
    expect(await dialog.innerText()).toContain('deletes the project file')
    await screenshot(page, 'projects-06-delete-confirmation')
    await byTestId('delete-project-confirm').click()
    await expect.poll(() => recentNamed('Scratch run').count()).toBe(0)
    expect(await recentNamed(RENAMED).count()).toBe(1)
    // It was the open project: the header lets go of it, and the file (WAL side files too) is gone.
    await expect.poll(() => byTestId('header-project-name').count()).toBe(0)
    expect(scratchFiles()).toEqual([])
  })

  it('switches to 简体中文 in Settings, and keeps the choice after a reload', async () => {
    await byTestId('settings-link').click()
    await byTestId('settings-view').waitFor()
    await byTestId('language-zh-CN').click()
    await page.getByRole('heading', { name: '设置', exact: true }).waitFor()
    expect(await byTestId('jobs-button').innerText()).toBe('任务')
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await screenshot(page, 'projects-07-settings-zh')

    await page.reload()
    await page.getByRole('heading', { name: '设置', exact: true }).waitFor()
    await byTestId('home-link').click()
    await page.getByRole('heading', { name: '项目', exact: true }).waitFor()
    expect(await recentNamed(RENAMED).innerText()).toContain('上次打开')
    await screenshot(page, 'projects-08-projects-zh')

    await recentNamed(RENAMED).getByTestId('recent-open').click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(RENAMED)
    expect(await byTestId('next-step').innerText()).toContain('导入数据集')
    expect(await byTestId('nav-splits').innerText()).toContain('数据划分')
    await screenshot(page, 'projects-09-overview-zh')
  })

  it('shows the jobs panel', async () => {
    await byTestId('jobs-button').click()
    await byTestId('jobs-drawer').waitFor()
    expect(await byTestId('jobs-drawer').innerText()).toContain('任务')
    await screenshot(page, 'projects-10-jobs-zh')
    await page.keyboard.press('Escape')
    await byTestId('jobs-drawer').waitFor({ state: 'detached' })
  })

  it('shows the engine in use on the Engine panel', async () => {
    await byTestId('engine-link').click()
    await byTestId('engine-view').waitFor()
    await expect.poll(() => byTestId('engine-backend').innerText()).toMatch(/^(tensorflow|wasm|cpu)$/)
    expect(await byTestId('engine-tried').locator('li').count()).toBeGreaterThan(0)
    expect(await byTestId('app-info').innerText()).toContain('Node.js')
    await screenshot(page, 'projects-11-engine-zh')
  })

  it('opens a project from the workspace folder, and says in words why an upload is not a project', async () => {
    await byTestId('home-link').click()
    await byTestId('open-project').click()
    const dialog = byTestId('open-project-dialog')
    await dialog.waitFor()
    // `seqlab serve` puts new projects in the workspace, so the project is listed there.
    const entry = byTestId('workspace-entry').filter({ hasText: '.seqlab' }).first()
    await entry.waitFor()
    await screenshot(page, 'projects-12-open-project-zh')
    await entry.click()
    await expect.poll(() => byTestId('overview-project-name').textContent()).toBe(RENAMED)

    await byTestId('home-link').click()
    await byTestId('open-project').click()
    await dialog.waitFor()
    await byTestId('open-project-file').setInputFiles({
      name: 'notes.seqlab',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('These are my notes, not a database.\n'),
    })
    const message = dialog.getByTestId('error-message')
    await message.waitFor()
    // Translated by its code (project.not_sqlite), naming the file.
    expect(await message.innerText()).toContain('不是 SeqLab 项目文件')
    // The name the user picked, not the name the upload was stored under.
    expect(await dialog.innerText()).toContain('文件：notes.seqlab')
    await screenshot(page, 'projects-13-open-error-zh')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  it('follows the system when it switches to dark', async () => {
    // A string expression: this file is compiled without the DOM's types.
    const brightness = async () => {
      const colour = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor')
      return (colour.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0)
    }
    expect(await brightness()).toBeGreaterThan(3 * 200)
    await page.emulateMedia({ colorScheme: 'dark' })
    // Polled: the body's colour eases over a short transition.
    await expect.poll(brightness).toBeLessThan(3 * 80)
    await screenshot(page, 'projects-14-projects-dark-zh')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it('ran without console errors or uncaught exceptions (CSP violations included)', () => {
    expect(pageProblems).toEqual([])
  })

  it('showed every screen without overflow or serious accessibility violations', () => {
    expect(screenIssues).toEqual([])
  })

  it('refuses a request without the token', async () => {
    const call = (headers: Record<string, string>) =>
      fetch(`${server!.origin}/api/call/app.info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      })
    expect((await call({})).status).toBe(401)
    expect((await call({ 'x-seqlab-token': 'not-the-token' })).status).toBe(401)
    // The same request with the token goes through, so the 401 was about the token.
    const allowed = await call({ 'x-seqlab-token': server!.token })
    expect(allowed.status).toBe(200)
    expect(await allowed.json()).toMatchObject({ ok: true, value: { transport: 'web' } })
  })
})

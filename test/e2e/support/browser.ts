/** Debian's Chromium driven by playwright-core (never a downloaded browser). */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { repoRoot } from './server'

const CHROMIUM = '/usr/bin/chromium'
export const screenshotDir = path.join(repoRoot, 'test-results/e2e')

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's package with \`apt-get install -y chromium\`.`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Saves `test-results/e2e/<name>.png` of the whole window. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true })
  // 'disabled' finishes transitions (dialogs, drawers) so the picture shows the settled state.
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), animations: 'disabled' })
}

/**
 * A page at the UI guide's laptop size (1366×768, English, light) whose console errors, missing
 * i18n keys and uncaught exceptions are collected into `problems`, for a suite to assert empty.
 */
export async function openWatchedPage(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'en-US',
    colorScheme: 'light',
  })
  const page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error' || /Not found '.*' key/.test(message.text()))
      problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  return page
}

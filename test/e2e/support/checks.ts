/**
 * What a reviewer would otherwise check by eye on every screen, as lists of problems to assert empty:
 * nothing overflows its box at the window's size, and no serious or critical accessibility violation
 * (a11y.ts). Missing translations are caught as console errors by the watched page (browser.ts and the
 * app's `reportMissingKey`); `missingKeyProbe` proves that path works.
 */
import type { Page } from 'playwright-core'
import { a11yProblems } from './a11y'

/**
 * Elements whose content is wider than their box and spills out or is cut off, anywhere in the app's main
 * area, an open dialog or drawer; and a page that scrolls sideways. Boxes meant to scroll (overflow auto or
 * scroll) and text meant to be shortened with an ellipsis (a tooltip or title carries the whole) are not
 * problems. A string expression: this file is compiled without the DOM's types.
 */
export async function overflowProblems(page: Page, screen: string): Promise<string[]> {
  const found = await page.evaluate<string[]>(`(() => {
    const out = []
    const roots = [...document.querySelectorAll('.shell-body, .n-modal, .n-drawer')]
    const describe = (el) => {
      const owner = el.closest('[data-testid]')
      const id = owner ? owner.getAttribute('data-testid') : ''
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).slice(0, 3).join('.') : ''
      return (id ? '[' + id + '] ' : '') + el.tagName.toLowerCase() + (cls ? '.' + cls : '')
    }
    const scrolls = (value) => value === 'auto' || value === 'scroll'
    // Clipped on purpose: text for screen readers only (1 px, clipped), and naive-ui's close button, whose
    // 20-px icon sits centred on an 18-px button.
    const deliberate = '.visually-hidden, .n-base-close'
    for (const root of roots)
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (el.clientWidth === 0 || el instanceof SVGElement) continue
        if (el.scrollWidth <= el.clientWidth + 1) continue
        const style = getComputedStyle(el)
        if (scrolls(style.overflowX) || style.textOverflow === 'ellipsis') continue
        if (el.matches(deliberate)) continue
        if (style.visibility === 'hidden') continue
        // The root of the page scrolling sideways is reported below, once.
        if (el === root && root.classList.contains('shell-body')) continue
        out.push(describe(el) + ' ' + el.scrollWidth + '>' + el.clientWidth)
      }
    for (const el of [document.documentElement, document.querySelector('.shell-body')])
      if (el && el.scrollWidth > el.clientWidth + 1) out.push('the page scrolls sideways (' + el.scrollWidth + '>' + el.clientWidth + ')')
    return [...new Set(out)]
  })()`)
  return found.map((line) => `${screen}: ${line}`)
}

/** Overflow and accessibility problems of the screen as it is now (assert `toEqual([])`). */
export async function screenProblems(page: Page, screen: string): Promise<string[]> {
  return [...(await overflowProblems(page, screen)), ...(await a11yProblems(page, screen))]
}

/**
 * Asks the running app for a message key that exists in no language, as a view would, and hands back what
 * the watched page collected meanwhile: the suites rely on that missing-key report to fail a test.
 */
export async function missingKeyProbe(page: Page, problems: string[]): Promise<string[]> {
  const before = problems.length
  await page.evaluate(
    `document.querySelector('#app').__vue_app__.config.globalProperties.$t('e2e.probe.no_such_key')`,
  )
  // Console events arrive asynchronously.
  for (let i = 0; i < 50 && problems.length === before; i++) await page.waitForTimeout(20)
  return problems.splice(before)
}

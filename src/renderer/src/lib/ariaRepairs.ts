/**
 * Repairs of third-party markup that assistive technology trips on, applied as the elements appear.
 *
 * naive-ui's NCard renders its title as two nested `role="heading"` elements, neither with the `aria-level`
 * ARIA requires, and the outer one also wraps the card's header buttons (axe: aria-required-attr, critical).
 * The outer wrapper is a layout box, so it loses the role; the title itself becomes a level-2 heading (cards
 * sit under a page's h1; a dialog's card is its own top level).
 */
const CARD_HEADER = '.n-card-header[role="heading"]'

function repair(root: Element): void {
  const headers = root.matches(CARD_HEADER) ? [root] : [...root.querySelectorAll(CARD_HEADER)]
  for (const header of headers) {
    header.removeAttribute('role')
    const title = header.querySelector(':scope > .n-card-header__main[role="heading"]')
    if (title && !title.hasAttribute('aria-level')) title.setAttribute('aria-level', '2')
  }
}

/** Repairs what `root` holds now and whatever is added under it later. */
export function watchAriaRepairs(root: Element = document.body): MutationObserver {
  repair(root)
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes' && mutation.target instanceof Element) repair(mutation.target)
      for (const node of mutation.addedNodes) if (node instanceof Element) repair(node)
    }
  })
  // Attributes too: a full re-render could put the role back on an element that stays.
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['role'] })
  return observer
}

import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { i18n } from './i18n'
import { watchAriaRepairs } from './lib/ariaRepairs'
import { router } from './router'
import './styles.css'

stripTokenFromAddress()
document.documentElement.lang = i18n.global.locale.value

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
watchAriaRepairs()

/**
 * The web bridge's link carries the launch token (`/?token=…`); the server has already turned it into an
 * HttpOnly cookie, so drop it from the address bar where it would end up in history and screenshots.
 */
function stripTokenFromAddress(): void {
  const url = new URL(window.location.href)
  if (url.protocol === 'file:' || !url.searchParams.has('token')) return
  url.searchParams.delete('token')
  window.history.replaceState(window.history.state, '', url.toString())
}

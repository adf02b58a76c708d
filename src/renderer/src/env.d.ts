/// <reference types="vite/client" />
import type { SeqLabApi } from '../../shared/contract'

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser, where the web client is used. */
    seqlab?: SeqLabApi
  }
}

export {}

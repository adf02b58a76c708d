import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo, EngineInfo } from '../../../shared/contract'
import { callOrThrow } from '../api'

/** What the installation can do; fetched once and shared by every view. */
export const useAppStore = defineStore('app', () => {
  const appInfo = ref<AppInfo>()
  const engineInfo = ref<EngineInfo>()

  async function loadAppInfo(): Promise<AppInfo> {
    appInfo.value ??= await callOrThrow('app.info', {})
    return appInfo.value
  }

  async function loadEngineInfo(): Promise<EngineInfo> {
    engineInfo.value ??= await callOrThrow('engine.info', {})
    return engineInfo.value
  }

  return { appInfo, engineInfo, loadAppInfo, loadEngineInfo }
})

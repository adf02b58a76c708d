/** Channel names of the Electron IPC; dependency-free so the sandboxed preload can import them. */
export const IPC_CALL = 'seqlab:call'
export const IPC_EVENT = 'seqlab:event'
export const IPC_MENU = 'seqlab:menu'

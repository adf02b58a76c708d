/**
 * The browser's SeqLabApi over the web bridge (protocol in src/shared/web-protocol.ts): calls are
 * POSTs, events come over one WebSocket that reconnects on its own, uploads stream with progress.
 * Authentication is the launch token's cookie, which the browser sends by itself (same origin).
 */
import type {
  CallInput,
  CallName,
  CallResult,
  EventName,
  EventPayload,
  FileRef,
  SeqLabApi,
} from '../../../shared/contract'
import type { ErrorData } from '../../../shared/errors'
import { CALL_PATH, EVENTS_PATH, UPLOAD_PATH, type WireEvent } from '../../../shared/web-protocol'
import { ApiError, clientError } from './errors'

const RECONNECT_MIN_MS = 500
const RECONNECT_MAX_MS = 10_000

function httpError(status: number): ErrorData {
  if (status === 401) {
    return clientError(
      'connection.unauthorized',
      'The server did not accept this window: open SeqLab again from the link it printed.',
    )
  }
  return clientError('connection.http', `The server answered with HTTP ${status}.`)
}

const offline = (): ErrorData =>
  clientError('connection.offline', 'SeqLab cannot reach its server. Is it still running?')

export function createWebApi(base: string = ''): SeqLabApi {
  type Handler = (payload: unknown) => void
  const handlers = new Map<string, Set<Handler>>()
  let socket: WebSocket | undefined
  let reconnectDelay = RECONNECT_MIN_MS
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined

  const eventsUrl = (): string => {
    const url = new URL(base + EVENTS_PATH, window.location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    return url.toString()
  }

  const hasHandlers = (): boolean => [...handlers.values()].some((set) => set.size > 0)

  const connect = (): void => {
    if (socket || !hasHandlers()) return
    const ws = new WebSocket(eventsUrl())
    socket = ws
    ws.onopen = () => {
      reconnectDelay = RECONNECT_MIN_MS
    }
    ws.onmessage = (message) => {
      let wire: WireEvent
      try {
        wire = JSON.parse(String(message.data)) as WireEvent
      } catch {
        return // Not ours to interpret; the server only sends JSON.
      }
      for (const handler of handlers.get(wire.event) ?? []) handler(wire.payload)
    }
    ws.onclose = () => {
      socket = undefined
      if (!hasHandlers()) return
      // Back off so a stopped server is not hammered; reset once a connection opens again.
      reconnectTimer = setTimeout(connect, reconnectDelay)
      reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MAX_MS)
    }
  }

  const disconnectIfIdle = (): void => {
    if (hasHandlers()) return
    if (reconnectTimer) clearTimeout(reconnectTimer)
    reconnectTimer = undefined
    socket?.close()
    socket = undefined
  }

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
      let response: Response
      try {
        response = await fetch(base + CALL_PATH + encodeURIComponent(name), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input ?? {}),
        })
      } catch {
        return { ok: false, error: offline() }
      }
      if (!response.ok) return { ok: false, error: httpError(response.status) }
      try {
        return (await response.json()) as CallResult<N>
      } catch {
        return {
          ok: false,
          error: clientError('connection.bad_response', 'The server sent an answer SeqLab cannot read.'),
        }
      }
    },

    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
      let set = handlers.get(event)
      if (!set) handlers.set(event, (set = new Set()))
      const untyped = handler as Handler
      set.add(untyped)
      connect()
      return () => {
        set.delete(untyped)
        disconnectIfIdle()
      }
    },

    upload(
      file: Blob & { name: string },
      onProgress?: (sent: number, total: number) => void,
    ): Promise<FileRef> {
      // XMLHttpRequest rather than fetch: only it reports upload progress.
      return new Promise<FileRef>((resolve, reject) => {
        const xhr = new XMLHttpRequest()
        xhr.open('POST', `${base}${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`)
        xhr.responseType = 'text'
        xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size)
        xhr.onerror = () => reject(new ApiError(offline()))
        xhr.onload = () => {
          if (xhr.status < 200 || xhr.status >= 300) return reject(new ApiError(httpError(xhr.status)))
          let result: CallResult<'files.workspaceRef'>
          try {
            result = JSON.parse(xhr.responseText) as CallResult<'files.workspaceRef'>
          } catch {
            return reject(
              new ApiError(
                clientError('connection.bad_response', 'The server sent an answer SeqLab cannot read.'),
              ),
            )
          }
          if (result.ok) resolve(result.value)
          else reject(new ApiError(result.error))
        }
        xhr.send(file)
      })
    },
  }
}

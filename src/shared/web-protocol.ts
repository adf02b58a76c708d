/**
 * The web bridge's wire protocol (server: `src/server`, client: `src/renderer/src/api/web.ts`).
 * Dependency-free so both sides import the same constants.
 *
 * - Every request must carry the launch token: the `seqlab_token` cookie (set when the browser first opens
 *   `/?token=…`, HttpOnly, SameSite=Strict), or the `x-seqlab-token` header, or `?token=` in the URL.
 *   Anything else gets 401. The Host header must be the loopback address the server listens on (421 if not).
 * - `POST /api/call/<name>` with a JSON body (the call's input) → 200 with a JSON `CallResult`
 *   (`{ok:true,value}` or `{ok:false,error}`); input errors are results, not HTTP errors.
 * - `GET /api/events` upgraded to a WebSocket: the server sends `{"event": name, "payload": …}` messages.
 * - `POST /api/upload?name=<file name>` with the raw file as the body, streamed to the workspace's
 *   `uploads/` folder → a JSON `CallResult` whose value is a `FileRef`.
 */
export const TOKEN_COOKIE = 'seqlab_token'
export const TOKEN_HEADER = 'x-seqlab-token'
export const TOKEN_QUERY = 'token'
export const CALL_PATH = '/api/call/'
export const EVENTS_PATH = '/api/events'
export const UPLOAD_PATH = '/api/upload'

export interface WireEvent {
  event: string
  payload: unknown
}

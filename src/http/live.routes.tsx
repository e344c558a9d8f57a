import { Elysia } from 'elysia'
import { eventSeq } from '../events/index.ts'
import { roleAllows } from '../teams/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { HttpError, UnauthorizedError } from './errors.ts'
import { liveHubFor } from './live/index.ts'
import type { LiveViewer } from './pages/index.ts'
import { resolveRequestAuth } from './request-auth.ts'
import { SSE_HEADERS } from './sse-frame.ts'

/** `?after=` of a stream URL: where the page's render stands (0 when absent or bad). */
function afterParam(url: string): number {
  return eventSeq(new URL(url).searchParams.get('after')) ?? 0
}

/** The session a stream request may follow, and what its viewer may do; throws 401 / 404. */
async function streamAccess(deps: AppDeps, request: Request, sessionIdText: string | undefined) {
  const auth = await resolveRequestAuth(deps, request)
  if (!auth) throw new UnauthorizedError()
  const sessionId = eventSeq(sessionIdText)
  if (!sessionId) throw new HttpError(404, 'not_found', 'Session not found.')
  const { session, role } = await requireSession(deps.db, auth.user.id, sessionId, 'read')
  return { session, viewer: { can_control: roleAllows(role, 'contribute'), can_manage: roleAllows(role, 'manage') } satisfies LiveViewer }
}


/** What one WebSocket follows; kept per socket until it closes. */
interface SocketState {
  stop: AbortController
}

/**
 * The live session page's streams, both rendering events into out-of-band HTML fragments:
 * - `GET /sessions/:id/stream`: SSE for `hx-sse:connect`, resuming after `Last-Event-ID` (or
 *   `?after=`). After a terminal session event it sends a named `done` event (the page closes the
 *   stream with `hx-sse:close="done"`) and ends.
 * - `WS /ws/sessions/:id`: the same fragments (or `?format=json` events), resuming after `?after=`.
 *   Login and access are checked on the upgrade (Origin by the app-wide origin check); the socket
 *   closes normally after the terminal event.
 * Both stop when the client goes away or the process shuts down (`deps.shutdown`).
 */
export function liveRoutes(deps: AppDeps) {
  const hub = () => liveHubFor(deps)
  const sockets = new Map<string, SocketState>()

  return new Elysia({ name: 'live-routes' })
    .get('/sessions/:id/stream', async ({ params, request }) => {
      let access: Awaited<ReturnType<typeof streamAccess>>
      try {
        access = await streamAccess(deps, request, params.id)
      } catch (error) {
        // Not a stream: a plain status the SSE extension gives up on (its reconnects would fail alike).
        return new Response(error instanceof HttpError ? error.message : 'Something went wrong.', {
          status: error instanceof HttpError ? error.status : 500,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        })
      }
      const after = eventSeq(request.headers.get('last-event-id')) ?? afterParam(request.url)
      const signal = AbortSignal.any([request.signal, deps.shutdown])
      const body = await hub().sse(access.session.id, after, { json: false, viewer: access.viewer }, signal, { doneEvent: true })
      if (!body) return new Response('Session not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
      return new Response(body, { headers: SSE_HEADERS })
    })
    .ws('/ws/sessions/:id', {
      async beforeHandle({ params, request, set }) {
        try {
          await streamAccess(deps, request, params.id)
        } catch (error) {
          set.status = error instanceof HttpError ? error.status : 500
          return error instanceof HttpError ? error.message : 'Something went wrong.'
        }
      },
      async open(ws) {
        const request = ws.data.request
        const state: SocketState = { stop: new AbortController() }
        sockets.set(ws.id, state)
        let access: Awaited<ReturnType<typeof streamAccess>>
        try {
          access = await streamAccess(deps, request, ws.data.params.id)
        } catch {
          ws.close(1008, 'not allowed')
          return
        }
        const json = new URL(request.url).searchParams.get('format') === 'json'
        const signal = AbortSignal.any([state.stop.signal, deps.shutdown])
        const found = await hub().socket(access.session.id, afterParam(request.url), json ? { json: true } : { json: false, viewer: access.viewer }, signal, {
          send: (data) => ws.send(data),
          close: (reason) => {
            if (reason === 'ended') ws.close(1000, 'session ended')
            // Shutting down (or dropped): 1012 (service restart) makes htmx reconnect, to another process if need be.
            else if (reason === 'dropped' || deps.shutdown.aborted) ws.close(1012, 'restarting')
          },
        })
        if (!found) ws.close(1008, 'not allowed')
      },
      close(ws) {
        sockets.get(ws.id)?.stop.abort()
        sockets.delete(ws.id)
      },
    })
}

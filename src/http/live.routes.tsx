import { Elysia } from 'elysia'
import { eventSeq, isSessionEnd, type SessionEvent } from '../events/index.ts'
import { getSession } from '../sessions/index.ts'
import { roleAllows } from '../teams/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { HttpError, UnauthorizedError } from './errors.ts'
import { createLiveRenderer, type LiveViewer } from './pages/index.ts'
import { resolveRequestAuth } from './request-auth.ts'
import { sseSessionFrames } from './session-stream.ts'
import { sseFrame } from './sse-frame.ts'

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

const encoder = new TextEncoder()

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
  const renderer = createLiveRenderer({ db: deps.db, clock: () => new Date() })
  const sockets = new Map<string, SocketState>()

  return new Elysia({ name: 'live-routes' })
    .get('/sessions/:id/stream', async function* ({ params, request, set }) {
      let access: Awaited<ReturnType<typeof streamAccess>>
      try {
        access = await streamAccess(deps, request, params.id)
      } catch (error) {
        // Not a stream: a plain status the SSE extension gives up on (its reconnects would fail alike).
        set.status = error instanceof HttpError ? error.status : 500
        set.headers['content-type'] = 'text/plain; charset=utf-8'
        yield encoder.encode(error instanceof HttpError ? error.message : 'Something went wrong.')
        return
      }
      set.headers['content-type'] = 'text/event-stream; charset=utf-8'
      set.headers['cache-control'] = 'no-store'
      set.headers['x-accel-buffering'] = 'no'
      const { session, viewer } = access
      const after = eventSeq(request.headers.get('last-event-id')) ?? afterParam(request.url)
      const fresh = (await getSession(deps.db, session.id)) ?? session
      if (fresh.status !== 'active' && after >= fresh.event_seq) {
        yield sseFrame('ended', { event: 'done' })
        return
      }
      let ended = false
      for await (const frame of sseSessionFrames({
        feed: deps.feed,
        sessionId: session.id,
        afterSeq: after,
        signal: AbortSignal.any([request.signal, deps.shutdown]),
        render: async (event) => {
          if (isSessionEnd(event.type)) ended = true
          return renderer.render(event, viewer)
        },
        endAfterTerminal: true,
      })) {
        yield frame
      }
      if (ended) yield sseFrame('ended', { event: 'done' })
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
        const after = afterParam(request.url)
        const fresh = (await getSession(deps.db, access.session.id)) ?? access.session
        if (fresh.status !== 'active' && after >= fresh.event_seq) {
          ws.close(1000, 'session ended')
          return
        }
        const signal = AbortSignal.any([state.stop.signal, deps.shutdown])
        const render = (event: SessionEvent): Promise<string> => (json ? Promise.resolve(JSON.stringify(event)) : renderer.render(event, access.viewer))
        try {
          for await (const event of deps.feed.follow(access.session.id, after, signal)) {
            if (signal.aborted) break
            const data = await render(event)
            if (data) ws.send(data)
            if (isSessionEnd(event.type)) {
              ws.close(1000, 'session ended')
              return
            }
          }
          // Shutting down: 1012 (service restart) makes htmx reconnect, to another process if need be.
          if (deps.shutdown.aborted) ws.close(1012, 'restarting')
        } catch (error) {
          deps.log.warn('live socket failed', { session_id: access.session.id, error })
          ws.close(1011, 'error')
        }
      },
      close(ws) {
        sockets.get(ws.id)?.stop.abort()
        sockets.delete(ws.id)
      },
    })
}

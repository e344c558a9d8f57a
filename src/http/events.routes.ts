import { Elysia } from 'elysia'
import { z } from 'zod'
import { eventSeq, SessionEventSchema } from '../events/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { sseSessionFrames } from './session-stream.ts'
import { documented } from './api-schemas/index.ts'

const EventsQuery = z.object({ after: z.coerce.number().int().min(0).max(1_000_000_000).optional() }).strict()

/** The OpenAPI response of the stream: each frame's `data` is one event, its `data` typed per `type` (src/events). */
const STREAM_RESPONSE = {
  description: 'Server-Sent Events; each frame’s `id` is the event id and its `data` one JSON event of this shape.',
  content: { 'text/event-stream': { schema: z.toJSONSchema(SessionEventSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown> } },
}

/**
 * `GET /api/sessions/:id/events`: the session's events as JSON over SSE, from the
 * start or right after `Last-Event-ID` (or `?after=`), then live. The stream ends
 * after the session's terminal event.
 */
export function eventsRoutes(deps: AppDeps) {
  return new Elysia({ prefix: '/api/sessions', detail: { tags: ['events'] } }).use(authGuard(deps)).get(
    '/:id/events',
    async function* ({ user, params, query, request, set }) {
      const { session } = await requireSession(deps.db, user.id, params.id, 'read')
      set.headers['content-type'] = 'text/event-stream; charset=utf-8'
      set.headers['cache-control'] = 'no-store'
      set.headers['x-accel-buffering'] = 'no'
      const after = eventSeq(request.headers.get('last-event-id')) ?? query.after ?? 0
      // A stream for an ended session that has sent everything closes at once.
      const ended = session.status !== 'active' && after >= session.event_seq
      if (ended) return
      yield* sseSessionFrames({
        feed: deps.feed,
        sessionId: session.id,
        afterSeq: after,
        signal: AbortSignal.any([request.signal, deps.shutdown]),
        render: (event) => JSON.stringify(event),
        endAfterTerminal: true,
      })
    },
    { auth: true, params: IdParams, query: EventsQuery, detail: documented({ id: 'streamSessionEvents', summary: 'The session’s events as JSON over Server-Sent Events', 200: STREAM_RESPONSE, errors: [404] }) },
  )
}

import { Elysia } from 'elysia'
import { z } from 'zod'
import { eventSeq, SessionEventSchema } from '../events/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { liveHubFor } from './live/index.ts'
import { SSE_HEADERS } from './sse-frame.ts'
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
    async ({ user, params, query, request }) => {
      const { session } = await requireSession(deps.db, user.id, params.id, 'read')
      const after = eventSeq(request.headers.get('last-event-id')) ?? query.after ?? 0
      // One frame per event for every client of the session (src/http/live); it ends after the terminal event.
      const body = await liveHubFor(deps).sse(session.id, after, { json: true }, AbortSignal.any([request.signal, deps.shutdown]), { doneEvent: false })
      return new Response(body ?? '', { headers: SSE_HEADERS })
    },
    { auth: true, params: IdParams, query: EventsQuery, detail: documented({ id: 'streamSessionEvents', summary: 'The session’s events as JSON over Server-Sent Events', 200: STREAM_RESPONSE, errors: [404] }) },
  )
}

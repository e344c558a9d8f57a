import { Elysia } from 'elysia'
import { z } from 'zod'
import {
  CreateSessionBody,
  decodeCursor,
  getSession,
  listSessions,
  ListSessionsQuery,
  listTasks,
  loadDesignDocument,
  readSessionDetail,
  sessionJson,
  sessionTotals,
  sessionTotalsById,
  taskDecisionsByTask,
  taskJson,
} from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { designDocumentMarkdown } from '../views/index.ts'
import { createSession, type EndOutcome } from '../orchestration/index.ts'
import { requireSession, requireTeam } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from './errors.ts'
import { designDocumentData, designDocumentJson, exportFilename } from './pages/document-data.ts'
import { documented, schemaRef, SessionDetail, SessionEnvelope, SessionPage, TaskList } from './api-schemas/index.ts'

/** Query of `GET /api/sessions/:id/export`: Markdown by default. */
const ExportQuery = z.strictObject({ format: z.enum(['md', 'json']).optional() })

/** The export's body: a file to save, in either format (`Content-Disposition: attachment`). */
const EXPORT_RESPONSE = {
  description: 'The design document, as an attachment: Markdown by default, or `{session, tasks, decisions, findings, reviews}` as JSON.',
  content: { 'text/markdown': { schema: { type: 'string' } }, 'application/json': { schema: schemaRef('SessionExport') } },
}

/** `/api/sessions`: start, list, read and end sessions. Decisions and tasks live in their own plugins. */
export function sessionsRoutes(deps: AppDeps) {
  const { db, sessionControl } = deps

  async function end(userId: number, sessionId: number, outcome: (id: number) => Promise<EndOutcome>) {
    await requireSession(db, userId, sessionId, 'contribute')
    const result = await outcome(sessionId)
    if (result === 'not_found') throw new NotFoundError('Session not found.')
    if (result === 'already_ended') throw new ConflictError('The session has already ended.')
    if (result === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
    const session = await getSession(db, sessionId)
    if (!session) throw new NotFoundError('Session not found.')
    return { session: sessionJson(session, sessionTotals(await listTasks(db, sessionId))) }
  }

  return new Elysia({ prefix: '/api/sessions', detail: { tags: ['sessions'] } })
    .use(authGuard(deps))
    .post(
      '',
      async ({ user, body, set }) => {
        await requireTeam(db, user.id, body.team_id, 'contribute')
        const session = await createSession(db, sessionControl, user.id, body)
        set.status = 201
        return { session: sessionJson(session, sessionTotals([])) }
      },
      {
        auth: true,
        body: CreateSessionBody,
        detail: documented({ id: 'createSession', summary: 'Start a session: one pending task per chosen agent', 201: SessionEnvelope, errors: [404] }),
      },
    )
    .get(
      '',
      async ({ user, query }) => {
        if (query.team_id !== undefined) await requireTeam(db, user.id, query.team_id, 'read')
        let after: number | undefined
        if (query.cursor !== undefined) {
          const decoded = decodeCursor(query.cursor)
          if (decoded === null) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }])
          after = decoded
        }
        const page = await listSessions(db, user.id, { team_id: query.team_id, status: query.status, limit: query.limit, after })
        const totals = await sessionTotalsById(db, page.sessions.map((s) => s.id))
        return { sessions: page.sessions.map((s) => sessionJson(s, totals.get(s.id) ?? sessionTotals([]))), next_cursor: page.next_cursor }
      },
      { auth: true, query: ListSessionsQuery, detail: documented({ id: 'listSessions', summary: 'Sessions of the caller’s teams, newest first', 200: SessionPage, errors: [404] }) },
    )
    .get(
      '/:id',
      async ({ user, params }) => {
        // Every role may read: the one statement that finds the session in the caller's teams reads its tasks and journal too.
        const found = await readSessionDetail(db, user.id, params.id)
        if (!found) throw new NotFoundError('Session not found.')
        const { session, tasks, decisions } = found
        return { session: sessionJson(session, sessionTotals(tasks)), tasks: tasks.map(taskJson), decisions }
      },
      { auth: true, params: IdParams, detail: documented({ id: 'getSession', summary: 'A session with its tasks and journal', 200: SessionDetail, errors: [404] }) },
    )
    .put('/:id/complete', ({ user, params }) => end(user.id, params.id, (id) => sessionControl.complete(id)), {
      auth: true,
      params: IdParams,
      detail: documented({ id: 'completeSession', summary: 'End an active session early as completed', 200: SessionEnvelope, errors: [404, 409] }),
    })
    .post('/:id/cancel', ({ user, params }) => end(user.id, params.id, (id) => sessionControl.cancel(id)), {
      auth: true,
      params: IdParams,
      detail: documented({ id: 'cancelSession', summary: 'Cancel an active session; running agents stop', 200: SessionEnvelope, errors: [404, 409] }),
    })
    .get(
      '/:id/tasks',
      async ({ user, params }) => {
        const { session } = await requireSession(db, user.id, params.id, 'read')
        const tasks = await listTasks(db, session.id)
        const decisions = await taskDecisionsByTask(db, tasks.map((t) => t.id))
        return tasks.map((t) => ({ ...taskJson(t), decisions: decisions.get(t.id) ?? [] }))
      },
      { auth: true, params: IdParams, detail: documented({ id: 'listSessionTasks', summary: 'A session’s tasks, each with its decisions', 200: TaskList, errors: [404] }) },
    )
    .get(
      '/:id/export',
      async ({ user, params, query }) => {
        await requireSession(db, user.id, params.id, 'read')
        const rows = await loadDesignDocument(db, params.id)
        if (!rows) throw new NotFoundError('Session not found.')
        const format = query.format ?? 'md'
        // Both bodies are pure functions of the stored rows: the same session exports the same bytes.
        const body = format === 'md' ? designDocumentMarkdown(designDocumentData(rows)) : `${JSON.stringify(designDocumentJson(rows), null, 2)}\n`
        return new Response(body, {
          headers: {
            'content-type': format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
            'content-disposition': `attachment; filename="${exportFilename(rows.session, format)}"`,
          },
        })
      },
      {
        auth: true,
        params: IdParams,
        query: ExportQuery,
        detail: documented({
          id: 'exportSession',
          summary: 'The design document as Markdown or JSON, byte-identical for the same session',
          200: EXPORT_RESPONSE,
          errors: [404],
        }),
      },
    )
}

import { Elysia } from 'elysia'
import { documented, SessionDiff, SessionEnvelope } from './api-schemas/index.ts'
import type { AgentRole } from '../agents/index.ts'
import { forkSession } from '../orchestration/index.ts'
import { DiffQuery, diffSessions, ForkSessionBody, type ForkSessionInput, loadDiffSide, sessionJson, sessionTotals } from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession } from './access.ts'
import { authGuard } from './auth-guard.ts'
import type { AppDeps } from './deps.ts'
import { ConflictError, NotFoundError, ValidationError } from './errors.ts'
import type { ExecutionSession } from '../db/index.ts'

/**
 * Forks `sessionId` for `userId` (members and owners): the new session, or the API error
 * (404 hidden or gone, 403 a viewer, 409 still active, 422 a role not in the session).
 */
export async function forkForUser(deps: Pick<AppDeps, 'db' | 'sessionControl'>, userId: number, sessionId: number, input: ForkSessionInput): Promise<ExecutionSession> {
  await requireSession(deps.db, userId, sessionId, 'contribute')
  // An empty feedback box means no feedback: the fork then reproduces its parent.
  const feedback = input.feedback === '' ? undefined : input.feedback
  const outcome = await forkSession(deps.db, deps.sessionControl, userId, sessionId, { ...input, from_role: input.from_role as AgentRole, feedback })
  if (outcome.ok) return outcome.session
  if (outcome.reason === 'not_found') throw new NotFoundError('Session not found.')
  if (outcome.reason === 'active') throw new ConflictError('The session is still active: fork it once it has ended.')
  throw new ValidationError([{ field: 'from_role', message: 'is not one of the session’s roles' }])
}

/** `POST /api/sessions/:id/fork` and `GET /api/sessions/:id/diff`: what-ifs and how they differ. */
export function forkRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/sessions', detail: { tags: ['sessions'] } })
    .use(authGuard(deps))
    .post(
      '/:id/fork',
      async ({ user, params, body, set }) => {
        const session = await forkForUser(deps, user.id, params.id, body)
        set.status = 201
        return { session: sessionJson(session, sessionTotals([])) }
      },
      {
        auth: true,
        params: IdParams,
        body: ForkSessionBody,
        detail: documented({
          id: 'forkSession',
          summary: 'Fork an ended session from one role: copy what it does not feed, re-run it (with feedback) and its downstream',
          201: SessionEnvelope,
          errors: [403, 404, 409],
        }),
      },
    )
    .get(
      '/:id/diff',
      async ({ user, params, query }) => {
        await requireSession(db, user.id, params.id, 'read')
        await requireSession(db, user.id, query.against, 'read')
        return diffSessions(await loadDiffSide(db, params.id), await loadDiffSide(db, query.against))
      },
      { auth: true, params: IdParams, query: DiffQuery, detail: documented({ id: 'diffSessions', summary: 'Two sessions compared role by role: status, confidence, decisions, fields, cost', 200: SessionDiff, errors: [404] }) },
    )
}

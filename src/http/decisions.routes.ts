import { Elysia } from 'elysia'
import { AddDecisionBody, addDecision, listDecisions, ListDecisionsQuery } from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'

/** `/api/sessions/:id/decisions`: the session's decision journal; it stays open after the session ends. */
export function decisionsRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/sessions/:id/decisions', detail: { tags: ['decisions'] } })
    .use(authGuard(deps))
    .post(
      '',
      async ({ user, params, body, set }) => {
        const { session } = await requireSession(db, user.id, params.id, 'contribute')
        set.status = 201
        return { decision: await addDecision(db, deps.sessionControl, session.id, body) }
      },
      { auth: true, params: IdParams, body: AddDecisionBody, detail: { summary: 'Add a decision to the journal' } },
    )
    .get(
      '',
      async ({ user, params, query }) => {
        const { session } = await requireSession(db, user.id, params.id, 'read')
        return listDecisions(db, session.id, query)
      },
      { auth: true, params: IdParams, query: ListDecisionsQuery, detail: { summary: 'The journal; `q` is a full-text search' } },
    )
}

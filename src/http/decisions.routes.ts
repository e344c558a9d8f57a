import { Elysia } from 'elysia'
import {
  AddDecisionBody,
  addDecision,
  decodeDecisionCursor,
  listDecisions,
  ListDecisionsQuery,
  SearchDecisionsQuery,
  searchJournal,
} from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession, requireTeam } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { ValidationError } from './errors.ts'
import { DecisionEnvelope, DecisionList, DecisionPage, documented } from './api-schemas/index.ts'

/**
 * The decision journal: `/api/sessions/:id/decisions` (one session's: members', agents' and
 * reviewers' decisions; it stays open after the session ends) and `/api/decisions` (across the
 * caller's teams, in pages: the search page's API twin).
 */
export function decisionsRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ detail: { tags: ['decisions'] } })
    .use(authGuard(deps))
    .post(
      '/api/sessions/:id/decisions',
      async ({ user, params, body, set }) => {
        const { session } = await requireSession(db, user.id, params.id, 'contribute')
        set.status = 201
        const row = await addDecision(db, deps.sessionControl, session.id, user.id, body)
        const decision = (await listDecisions(db, session.id, { source: 'user' })).find((d) => d.id === row.id)
        return { decision }
      },
      {
        auth: true,
        params: IdParams,
        body: AddDecisionBody,
        detail: documented({ id: 'addDecision', summary: 'Add a decision to the journal', 201: DecisionEnvelope, errors: [404] }),
      },
    )
    .get(
      '/api/sessions/:id/decisions',
      async ({ user, params, query }) => {
        const { session } = await requireSession(db, user.id, params.id, 'read')
        return listDecisions(db, session.id, query)
      },
      {
        auth: true,
        params: IdParams,
        query: ListDecisionsQuery,
        detail: documented({
          id: 'listSessionDecisions',
          summary: 'The journal: members’, agents’ and reviewers’ decisions; `q` is a full-text search, `source` user|agent|review',
          200: DecisionList,
          errors: [404],
        }),
      },
    )
    .get(
      '/api/decisions',
      async ({ user, query }) => {
        if (query.team_id !== undefined) await requireTeam(db, user.id, query.team_id, 'read')
        let offset = 0
        if (query.cursor !== undefined) {
          const decoded = decodeDecisionCursor(query.cursor)
          if (decoded === null) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API issued' }])
          offset = decoded
        }
        return searchJournal(db, user.id, { ...query, offset })
      },
      {
        auth: true,
        query: SearchDecisionsQuery,
        detail: documented({
          id: 'searchDecisions',
          summary: 'Decisions across the caller’s teams, newest (or best matching) first, in pages',
          200: DecisionPage,
          errors: [404],
        }),
      },
    )
}

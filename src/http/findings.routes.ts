import { Elysia } from 'elysia'
import { documented, FindingEnvelope, FindingList } from './api-schemas/index.ts'
import { findingSessionId, listFindings, UpdateFindingBody, updateFinding } from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { NotFoundError } from './errors.ts'

/**
 * Cross-role consistency findings: `GET /api/sessions/:id/findings` (anyone who sees the
 * session) and `PUT /api/findings/:id` (members and owners resolve or dismiss one with a note).
 */
export function findingsRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ detail: { tags: ['sessions'] } })
    .use(authGuard(deps))
    .get(
      '/api/sessions/:id/findings',
      async ({ user, params }) => {
        const { session } = await requireSession(db, user.id, params.id, 'read')
        return listFindings(db, session.id)
      },
      { auth: true, params: IdParams, detail: documented({ id: 'listSessionFindings', summary: 'A session’s cross-role consistency findings, in the order the rules found them', 200: FindingList, errors: [404] }) },
    )
    .put(
      '/api/findings/:id',
      async ({ user, params, body }) => {
        const sessionId = await findingSessionId(db, params.id)
        if (sessionId === null) throw new NotFoundError('Finding not found.')
        await requireSession(db, user.id, sessionId, 'contribute')
        const finding = await updateFinding(db, params.id, body)
        if (!finding) throw new NotFoundError('Finding not found.')
        return { finding }
      },
      {
        auth: true,
        params: IdParams,
        body: UpdateFindingBody,
        detail: documented({ id: 'updateFinding', summary: 'Resolve, dismiss or reopen a finding, with a note; the session keeps its score', 200: FindingEnvelope, errors: [403, 404] }),
      },
    )
}

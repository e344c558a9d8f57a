import { Elysia } from 'elysia'
import type { ExecutionSession } from '../../db/index.ts'
import { diffSessions, ForkSessionBody, getSession, loadDiffSide } from '../../sessions/index.ts'
import { DiffPage, type DiffSessionView } from '../../views/index.ts'
import { requireSession } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { forkForUser } from '../fork.routes.ts'
import { flashCookie } from './flash.ts'
import { field, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther } from './page-response.ts'

function sideView(session: ExecutionSession, costUsd: number): DiffSessionView {
  return {
    id: session.id,
    feature_name: session.feature_name,
    status: session.status,
    cost_usd: costUsd,
    forked_from_role: session.forked_from_role ?? null,
  }
}

/** `/sessions/:id/diff/:other_id` (two sessions side by side) and the "Fork from here" form's target. */
export function diffPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'diff-pages' })
    .get(
      '/sessions/:id/diff/:other_id',
      authedPage(deps, async ({ auth, ctx, params }) => {
        const sessionId = pathId(params.id)
        const otherId = pathId(params.other_id)
        await requireSession(db, auth.user.id, sessionId, 'read')
        await requireSession(db, auth.user.id, otherId, 'read')
        const [session, against, mine, theirs] = await Promise.all([getSession(db, sessionId), getSession(db, otherId), loadDiffSide(db, sessionId), loadDiffSide(db, otherId)])
        if (!session || !against) throw new NotFoundError('Session not found.')
        const diff = diffSessions(mine, theirs)
        return htmlResponse(
          <DiffPage ctx={ctx} session={sideView(session, mine.cost_usd)} against={sideView(against, theirs.cost_usd)} roles={diff.roles} cost_usd_delta={diff.cost_usd_delta} />,
        )
      }),
    )
    .post(
      '/sessions/:id/fork',
      authedPage(deps, async ({ auth, params, body }) => {
        const sessionId = pathId(params.id)
        const feedback = field(body, 'feedback').trim()
        const parsed = ForkSessionBody.safeParse({ from_role: field(body, 'from_role'), ...(feedback ? { feedback } : {}) })
        if (!parsed.success) throw new ValidationError(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? 'body'), message: i.message })))
        const session = await forkForUser(deps, auth.user.id, sessionId, parsed.data)
        return seeOther(`/sessions/${session.id}`, { cookies: [flashCookie('session_forked')] })
      }),
    )
}

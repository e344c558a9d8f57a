import { Elysia } from 'elysia'
import { ReviewBody } from '../../sessions/index.ts'
import { ConfirmActionPage } from '../../views/index.ts'
import { requireSession, requireTask } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError, ServiceUnavailableError } from '../errors.ts'
import { isConfirmed } from './confirm.ts'
import { type FlashKey, flashCookie } from './flash.ts'
import { field, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther } from './page-response.ts'

/** The no-JavaScript "Are you sure?" of resuming a session. */
const resumeConfirmation = (id: number, name: string) => ({
  title: 'Resume this session?',
  message: `“${name}” goes on: its failed, skipped and cancelled agents run again; completed ones are kept.`,
  action: `/sessions/${id}/resume`,
  confirm_label: 'Resume session',
  back_href: `/sessions/${id}`,
  back_label: 'Leave it ended',
})

/**
 * The HTML twins of the review and resume API: a card's verdict forms and the Resume button.
 * Each answers with a redirect to the session (and a flash); the live stream updates every open view.
 */
export function reviewPages(deps: AppDeps) {
  const { db, sessionControl } = deps
  return new Elysia({ name: 'review-pages' })
    .post(
      '/tasks/:id/review',
      authedPage(deps, async ({ auth, params, body }) => {
        const { task } = await requireTask(db, auth.user.id, pathId(params.id), 'contribute')
        const back = (flash: FlashKey): Response => seeOther(`/sessions/${task.session_id}#task-${task.id}`, { cookies: [flashCookie(flash)] })
        const comment = field(body, 'comment')
        const parsed = ReviewBody.safeParse({ verdict: field(body, 'verdict'), ...(comment.trim() ? { comment } : {}) })
        if (!parsed.success) return back('review_comment_required')
        if (task.status !== 'awaiting_review') return back('review_not_awaiting')
        const outcome = await sessionControl.review({
          session_id: task.session_id,
          task_id: task.id,
          attempt: task.retry_count + 1,
          verdict: parsed.data.verdict,
          comment: parsed.data.comment || null,
          reviewer_id: auth.user.id,
          reviewer: auth.user.username,
        })
        if (outcome === 'not_found') throw new NotFoundError('Task not found.')
        if (outcome === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
        return back(outcome === 'reviewed' ? 'review_recorded' : 'review_not_awaiting')
      }),
    )
    .post(
      '/sessions/:id/resume',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const { session } = await requireSession(db, auth.user.id, pathId(params.id), 'contribute')
        if (!isConfirmed(body)) return htmlResponse(<ConfirmActionPage ctx={ctx} {...resumeConfirmation(session.id, session.feature_name)} />)
        const outcome = await sessionControl.resume(session.id)
        if (outcome === 'not_found') throw new NotFoundError('Session not found.')
        if (outcome === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
        return seeOther(`/sessions/${session.id}`, { cookies: [flashCookie(outcome === 'resumed' ? 'session_resumed' : 'session_not_resumable')] })
      }),
    )
}

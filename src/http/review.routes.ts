import { Elysia } from 'elysia'
import { documented, ReviewList, SessionEnvelope, TaskEnvelope } from './api-schemas/index.ts'
import { getSession, listReviews, listTasks, ReviewBody, sessionJson, sessionTotals, taskJson } from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import type { ReviewOutcome, ResumeOutcome } from '../orchestration/index.ts'
import { requireSession, requireTask } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { ConflictError, NotFoundError, ServiceUnavailableError } from './errors.ts'

/** Throws the API error for a verdict that was not recorded. */
export function checkReviewOutcome(outcome: ReviewOutcome): void {
  if (outcome === 'not_found') throw new NotFoundError('Task not found.')
  if (outcome === 'conflict') throw new ConflictError('This task is not awaiting review (another verdict may have been given first).')
  if (outcome === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
}

/** Throws the API error for a resume that did not happen. */
export function checkResumeOutcome(outcome: ResumeOutcome): void {
  if (outcome === 'not_found') throw new NotFoundError('Session not found.')
  if (outcome === 'not_ended') throw new ConflictError('Only a failed or cancelled session can be resumed.')
  if (outcome === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
}

/** `POST /api/tasks/:id/review`, `GET /api/tasks/:id/reviews`, `POST /api/sessions/:id/resume`: the iteration loop's human side. */
export function reviewRoutes(deps: AppDeps) {
  const { db, sessionControl } = deps
  return new Elysia({ detail: { tags: ['tasks'] } })
    .use(authGuard(deps))
    .post(
      '/api/tasks/:id/review',
      async ({ user, params, body }) => {
        const { task } = await requireTask(db, user.id, params.id, 'contribute')
        if (task.status !== 'awaiting_review') throw new ConflictError('This task is not awaiting review.')
        checkReviewOutcome(
          await sessionControl.review({
            session_id: task.session_id,
            task_id: task.id,
            attempt: task.retry_count + 1,
            verdict: body.verdict,
            comment: body.comment || null,
            reviewer_id: user.id,
            reviewer: user.username,
          }),
        )
        const fresh = (await listTasks(db, task.session_id)).find((t) => t.id === task.id)
        if (!fresh) throw new NotFoundError('Task not found.')
        return { task: taskJson(fresh) }
      },
      {
        auth: true,
        params: IdParams,
        body: ReviewBody,
        detail: documented({
          id: 'reviewTask',
          summary: 'Give a verdict on a task awaiting review: approve, request changes (with a comment) or reject (with a comment)',
          200: TaskEnvelope,
          errors: [403, 404, 409, 503],
        }),
      },
    )
    .get(
      '/api/tasks/:id/reviews',
      async ({ user, params }) => {
        const { task } = await requireTask(db, user.id, params.id, 'read')
        return listReviews(db, task.id)
      },
      { auth: true, params: IdParams, detail: documented({ id: 'listTaskReviews', summary: 'The verdicts on a task, oldest first', 200: ReviewList, errors: [404] }) },
    )
    .post(
      '/api/sessions/:id/resume',
      async ({ user, params }) => {
        const { session } = await requireSession(db, user.id, params.id, 'contribute')
        if (session.status !== 'failed' && session.status !== 'cancelled') throw new ConflictError('Only a failed or cancelled session can be resumed.')
        checkResumeOutcome(await sessionControl.resume(session.id))
        const fresh = await getSession(db, session.id)
        if (!fresh) throw new NotFoundError('Session not found.')
        return { session: sessionJson(fresh, sessionTotals(await listTasks(db, session.id))) }
      },
      { auth: true, params: IdParams, detail: {
          ...documented({ id: 'resumeSession', summary: 'Resume a failed or cancelled session: what did not complete runs again', 200: SessionEnvelope, errors: [403, 404, 409, 503] }),
          tags: ['sessions'],
        },
      },
    )
}

import type { ActorContext, MessageOf } from '../actors/index.ts'
import type { SessionEvent } from '../events/index.ts'
import { ResumeReply, ReviewReply, type ReviewTask } from './messages.ts'
import { recordResume, recordVerdict } from './review-records.ts'
import { resumeState } from './review-resume.ts'
import { type SupervisionPolicy, type SupervisorState, type SupervisorStep, superviseStep } from './supervisor-state.ts'

type SupervisorContext = ActorContext<SupervisorState | null>

/** How the supervisor writes a step (rows, events after `before`) and carries out its messages, in the message's commit. */
export type StepCommit = (ctx: SupervisorContext, step: SupervisorStep, before: SessionEvent[]) => Promise<void>

/**
 * A reviewer's verdict, in the supervisor: the attempt must be the task's current one and await
 * review (else `conflict`); the review row, its event and the step (approve, changes, reject)
 * commit together, so of two verdicts for one attempt exactly one is recorded.
 */
export async function reviewTask(
  ctx: SupervisorContext,
  payload: MessageOf<typeof ReviewTask>['payload'],
  policy: SupervisionPolicy,
  commit: StepCommit,
): Promise<void> {
  const state = ctx.state
  const task = state?.tasks.find((t) => t.taskId === payload.task_id)
  if (!state || !task) {
    ctx.reply(ReviewReply({ outcome: 'not_found' }))
    return
  }
  const input = { type: 'review', role: task.role, attempt: payload.attempt, verdict: payload.verdict, comment: payload.comment } as const
  const step = superviseStep(state, input, policy)
  if (step.ignored) {
    ctx.reply(ReviewReply({ outcome: 'conflict' }))
    return
  }
  const recorded = await recordVerdict(ctx.trx, {
    sessionId: state.sessionId,
    taskId: task.taskId,
    role: task.role,
    attempt: payload.attempt,
    verdict: payload.verdict,
    comment: payload.comment,
    reviewerId: payload.reviewer_id,
    reviewer: payload.reviewer,
  })
  if (!recorded) {
    ctx.reply(ReviewReply({ outcome: 'conflict' }))
    return
  }
  await commit(ctx, step, recorded.events)
  ctx.reply(ReviewReply({ outcome: 'reviewed' }))
}

/**
 * Resumes a failed or cancelled session, in its supervisor: the session active again, what did not
 * complete pending again (completed tasks untouched), then a `start` step runs what is ready.
 */
export async function resumeSession(ctx: SupervisorContext, policy: SupervisionPolicy, commit: StepCommit): Promise<void> {
  const state = ctx.state
  if (!state) {
    ctx.reply(ResumeReply({ outcome: 'not_found' }))
    return
  }
  const resumed = resumeState(state)
  if (!resumed) {
    ctx.reply(ResumeReply({ outcome: 'not_ended' }))
    return
  }
  const before = await recordResume(ctx.trx, state.sessionId, resumed.reset)
  const step = superviseStep(resumed.state, { type: 'start' }, policy)
  // The rows now say what resumed.state says, even if the start step has nothing to do.
  ctx.state = resumed.state
  await commit(ctx, step, before)
  ctx.reply(ResumeReply({ outcome: 'resumed' }))
}

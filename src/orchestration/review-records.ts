import { sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database, ReviewSetting } from '../db/index.ts'
import { appendEvents, type SessionEvent } from '../events/index.ts'
import type { ReviewGate, ReviewVerdict } from './review-gate.ts'
import type { TaskState } from './supervisor-state.ts'

type Trx = Transaction<Database>

/** A verdict as the supervisor records it. */
export interface VerdictRecord {
  sessionId: number
  taskId: number
  role: AgentRole
  attempt: number
  verdict: ReviewVerdict
  comment: string | null
  reviewerId: number
  reviewer: string
}

/**
 * Records a verdict in the caller's transaction: the `task_reviews` row (one per attempt: null,
 * writing nothing, when the attempt already has one), the reviewer's comment as the next attempt's
 * feedback on `changes` (its retries start again), and the `task_reviewed` event. The task's new
 * status is the supervision step's, written beside it.
 */
export async function recordVerdict(trx: Trx, v: VerdictRecord): Promise<{ reviewId: number; events: SessionEvent[] } | null> {
  const inserted = await trx
    .insertInto('task_reviews')
    .values({ task_id: v.taskId, attempt: v.attempt, reviewer_id: v.reviewerId, reviewer: v.reviewer, verdict: v.verdict, comment: v.comment })
    .onConflict((oc) => oc.columns(['task_id', 'attempt']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return null
  if (v.verdict === 'changes') {
    await trx.updateTable('agent_tasks').set({ feedback: v.comment, attempt_base: v.attempt }).where('id', '=', v.taskId).execute()
  }
  const events = await appendEvents(trx, v.sessionId, [
    {
      type: 'task_reviewed',
      data: { task_id: v.taskId, agent_role: v.role, attempt: v.attempt, review_id: inserted.id, verdict: v.verdict, comment: v.comment, reviewer: v.reviewer },
    },
  ])
  return { reviewId: inserted.id, events }
}

/**
 * Records a resume in the caller's transaction: the session `active` again (no end, nothing
 * awaited), the `reset` tasks pending with their retries counted afresh from their last attempt,
 * and the `session_resumed` event. The supervisor's `start` step then runs what is ready.
 */
export async function recordResume(trx: Trx, sessionId: number, reset: readonly TaskState[]): Promise<SessionEvent[]> {
  if (reset.length > 0) {
    await sql`update agent_tasks t set status = 'pending', retry_count = r.attempt, attempt_base = r.attempt, retry_at = null,
        error_message = null, completed_at = null, duration_seconds = null
      from unnest(${reset.map((t) => t.taskId)}::bigint[], ${reset.map((t) => t.attempt)}::int[]) as r(id, attempt)
      where t.id = r.id and t.session_id = ${sessionId}`.execute(trx)
  }
  await sql`update execution_sessions set status = 'active', ended_at = null, duration_seconds = null, awaiting = null
    where id = ${sessionId}`.execute(trx)
  return appendEvents(trx, sessionId, [{ type: 'session_resumed', data: { tasks: reset.map((t) => ({ task_id: t.taskId, agent_role: t.role })) } }])
}

/** The session's review gate (what decides which finished tasks wait for a human). */
export async function loadReviewGate(trx: Trx, sessionId: number): Promise<ReviewGate | null> {
  const row = await trx.selectFrom('execution_sessions').select(['review', 'review_below_confidence']).where('id', '=', sessionId).executeTakeFirst()
  return row ? { review: (row.review ?? 'none') as ReviewSetting, review_below_confidence: row.review_below_confidence ?? null } : null
}

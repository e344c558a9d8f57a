import { type Kysely, sql } from 'kysely'
import { z } from 'zod'
import type { Database, TaskReview } from '../db/index.ts'
import { multilineText } from '../validation/index.ts'

/** A verdict as API.md shows it (`review`). */
export interface ReviewJson {
  id: number
  task_id: number
  attempt: number
  reviewer_id: number | null
  reviewer: string
  verdict: TaskReview['verdict']
  comment: string | null
  created_at: Date
}

/** Body of `POST /api/tasks/:id/review`: a comment is required to ask for changes or to reject. */
export const ReviewBody = z
  .strictObject({
    verdict: z.enum(['approve', 'changes', 'reject']),
    comment: multilineText({ max: 10_000 }).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.verdict !== 'approve' && !body.comment) {
      ctx.addIssue({ code: 'custom', path: ['comment'], message: `is required to ${body.verdict === 'changes' ? 'request changes' : 'reject'}` })
    }
  })
export type ReviewInput = z.infer<typeof ReviewBody>

/** Picks API.md's review fields. */
export function reviewJson(r: TaskReview): ReviewJson {
  return {
    id: r.id,
    task_id: r.task_id,
    attempt: r.attempt,
    reviewer_id: r.reviewer_id,
    reviewer: r.reviewer,
    verdict: r.verdict,
    comment: r.comment,
    created_at: r.created_at,
  }
}

/** A task's verdicts, oldest first. */
export async function listReviews(db: Kysely<Database>, taskId: number): Promise<ReviewJson[]> {
  const rows = await db.selectFrom('task_reviews').selectAll().where('task_id', '=', taskId).orderBy('id').execute()
  return rows.map(reviewJson)
}

/** A verdict with the role it was on, for the session page. */
export interface SessionReview extends ReviewJson {
  agent_role: string
}

/** Every verdict on a session's tasks, oldest first. */
export async function listSessionReviews(db: Kysely<Database>, sessionId: number): Promise<SessionReview[]> {
  const rows = await db
    .selectFrom('task_reviews as r')
    .innerJoin('agent_tasks as t', 't.id', 'r.task_id')
    .selectAll('r')
    .select('t.agent_role')
    .where('t.session_id', '=', sessionId)
    .orderBy('r.id')
    .execute()
  return rows.map((r) => ({ ...reviewJson(r), agent_role: r.agent_role }))
}

/** A task waiting for a verdict the user may give. */
export interface AwaitingReview {
  task_id: number
  session_id: number
  feature_name: string
  agent_role: string
  team_name: string
  /** When its output was recorded. */
  since: Date | null
}

/** In SQL: the session ids of the teams where `userId` may give verdicts (owner or member). */
function reviewableSessions(userId: number) {
  return sql`select s.id from execution_sessions s join teams tm on tm.id = s.team_id
     where s.status = 'active' and s.awaiting = 'review'
       and (tm.owner_id = ${userId} or exists (select 1 from team_memberships m
            where m.team_id = tm.id and m.user_id = ${userId} and m.role in ('owner', 'member')))`
}

/** The tasks awaiting a review the user may give, oldest first (at most `limit`). */
export async function listAwaitingReviews(db: Kysely<Database>, userId: number, limit = 20): Promise<AwaitingReview[]> {
  const { rows } = await sql<AwaitingReview>`
    select t.id as task_id, s.id as session_id, s.feature_name, t.agent_role, tm.name as team_name, t.completed_at as since
      from agent_tasks t join execution_sessions s on s.id = t.session_id join teams tm on tm.id = s.team_id
     where t.status = 'awaiting_review' and s.id in (${reviewableSessions(userId)})
     order by t.completed_at, t.id
     limit ${limit}`.execute(db)
  return rows.map((r) => ({ ...r, task_id: Number(r.task_id), session_id: Number(r.session_id) }))
}

/** How many tasks await a review the user may give (the nav's badge). */
export async function countAwaitingReviews(db: Kysely<Database>, userId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from agent_tasks t
     where t.status = 'awaiting_review' and t.session_id in (${reviewableSessions(userId)})`.execute(db)
  return rows[0]?.n ?? 0
}

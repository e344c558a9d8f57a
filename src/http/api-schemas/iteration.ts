import { z } from 'zod'
import { Count, Fraction, Id, Timestamp, Usd } from './common.ts'
import { Decision, Session, Task, TaskStatus } from './sessions.ts'

/** API.md `review`: a human's verdict on one attempt of a task. */
export const Review = z
  .object({
    id: Id,
    task_id: Id,
    attempt: z.number().int().min(1).describe('Counts from 1.'),
    reviewer_id: Id.nullable().describe('Null once the reviewer’s account is gone.'),
    reviewer: z.string().describe('The reviewer’s username.'),
    verdict: z.enum(['approve', 'changes', 'reject']),
    comment: z.string().nullable(),
    created_at: Timestamp,
  })
  .describe('A human’s verdict on a task’s attempt.')

export const ReviewList = z.array(Review).describe('Reviews, oldest first.')

/** `POST /api/tasks/:id/review`. */
export const TaskEnvelope = z.object({ task: Task }).describe('The task after the verdict.')

/** API.md `finding`: a cross-role consistency finding. */
export const Finding = z
  .object({
    id: Id,
    session_id: Id,
    rule: z.string(),
    severity: z.enum(['error', 'warning']),
    roles: z.array(z.string()),
    message: z.string(),
    status: z.enum(['open', 'resolved', 'dismissed']),
    note: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .describe('A place where two roles’ outputs disagree.')

export const FindingList = z.array(Finding).describe('The session’s consistency findings.')
export const FindingEnvelope = z.object({ finding: Finding }).describe('The finding.')

/** One role's share of an estimate. */
export const RoleEstimate = z.object({
  agent_role: z.string(),
  model: z.string(),
  input_tokens: Count,
  output_tokens: Count,
  cost_usd: Usd,
  price_known: z.boolean().describe('False when the model’s price is unknown: its cost counts as 0.'),
  basis: z.enum(['team_history', 'default']).describe('The team’s mean tokens for the role, or a default when it has none.'),
})

/** `POST /api/sessions/estimate`: what a session would cost before it starts. */
export const Estimate = z
  .object({ input_tokens: Count, output_tokens: Count, cost_usd: Usd, by_role: z.array(RoleEstimate) })
  .describe('What a session would cost, before it starts.')

/** How one role's decisions differ between two sessions. */
export const DecisionDiff = z.object({ added: z.array(z.string()), removed: z.array(z.string()), kept: z.array(z.string()) })

/** One role in a session diff. */
export const RoleDiff = z.object({
  agent_role: z.string(),
  status: TaskStatus.nullable(),
  against_status: TaskStatus.nullable(),
  confidence: Fraction.nullable(),
  against_confidence: Fraction.nullable(),
  decisions: DecisionDiff,
  fields_changed: z.array(z.string()),
})

/** `GET /api/sessions/:id/diff?against=`. */
export const SessionDiff = z
  .object({ session_id: Id, against_id: Id, roles: z.array(RoleDiff), cost_usd_delta: Usd.describe('This session’s cost minus the other’s.') })
  .describe('How two sessions of the same team differ, role by role.')

/** `GET /api/sessions/:id/export?format=json`: the whole session as one document. */
export const SessionExport = z
  .object({ session: Session, tasks: z.array(Task), decisions: z.array(Decision), findings: z.array(Finding), reviews: z.array(Review) })
  .describe('The session as one document: byte-identical for the same session.')

import { sql, type Transaction } from 'kysely'
import { type AgentRole, promptTexts } from '../agents/index.ts'
import type { Database } from '../db/index.ts'
import { type AppendedEventRow, eventAppendCtes, eventsFromRows, type NewSessionEvent, type SessionEvent } from '../events/index.ts'

import { settleReservationCtes } from './budget-reserve.ts'

type Trx = Transaction<Database>

/** One decision in an agent's output. */
export interface OutputDecision {
  text: string
  rationale: string
  category: string
}

/** What a successful attempt produced, as the agent job reports it (plain data). */
export interface TaskResultRecord {
  sessionId: number
  taskId: number
  role: AgentRole
  attempt: number
  /** The output as JSON text (an object with `decisions`, as the role's schema accepted it). */
  outputJson: string
  /** The output's decisions. */
  decisions: OutputDecision[]
  model: string
  provider: string
  inputTokens: number
  outputTokens: number
  costUsd: number | null
  durationMs: number
  repaired: boolean
  /** NULs removed and lone surrogates replaced in the reply before validation (storableText); default 0. */
  replacedCharacters?: number
  /** How the reply was read: valid | repaired_locally | repaired_by_call (default valid). */
  replyOutcome?: string
  /** Every model call of the attempt (raw reply capped at 16 KiB, finish reason, timing), for the snapshot. */
  replies?: readonly unknown[]
  /** Of inputTokens, those read from the provider's prompt cache; default 0. */
  cachedInputTokens?: number
  /** What the agent saw (feature, upstream roles, journal size, prompt), as JSON text. */
  contextJson: string
  capabilities: readonly string[]
  nodeId: string
  /**
   * The job the attempt ran as: the output is recorded only while the task still runs this
   * attempt and no outcome of this job was recorded; the job's id then goes into the seed's
   * `celery_task_id`, so a second delivery of the same outcome records nothing.
   */
  jobId: string
  /** When the task completed (its `completed_at`). */
  now: Date
  /** Set when the output waits for a human's review (review-gate.ts): the task becomes `awaiting_review`, not `completed`. */
  review?: { reason: 'role' | 'confidence'; confidence: number | null } | null
}

/** What a failed attempt reports. */
export interface TaskFailureRecord {
  taskId: number
  role: AgentRole
  attempt: number
  error: string
  kind: string
  context: Record<string, unknown>
  capabilities: readonly string[]
  nodeId: string
  /** The model calls the attempt made before it failed (raw replies capped at 16 KiB); default none. */
  replies?: readonly unknown[]
}

/**
 * Stores a successful attempt in the caller's transaction: the task's output, model,
 * tokens and cost, one `task_decisions` row per decision, a snapshot of the agent's
 * state for replay, the task's `completed` status and its `task_completed` event.
 * Returns the event (to announce after the commit), or null, writing nothing, when the
 * task is no longer running this attempt or its outcome was already recorded. A success
 * needs no decision: the supervisor, told next, only starts what waited for it.
 */
export async function recordTaskResult(trx: Trx, result: TaskResultRecord): Promise<SessionEvent | null> {
  const decisions = result.decisions
  const metadata = {
    outcome: 'completed',
    attempt: result.attempt,
    model: result.model,
    provider: result.provider,
    input_tokens: result.inputTokens,
    output_tokens: result.outputTokens,
    cost_usd: result.costUsd,
    duration_ms: result.durationMs,
    repaired: result.repaired,
    replaced_characters: result.replacedCharacters ?? 0,
    cached_input_tokens: result.cachedInputTokens ?? 0,
    reply_outcome: result.replyOutcome ?? 'valid',
    replies: result.replies ?? [],
    node_id: result.nodeId,
  }
  // The texts the snapshot's prompt refers to (agent-job.ts): inserted once, a no-op after.
  const texts = promptTexts(result.role)
  const ref = { task_id: result.taskId, agent_role: result.role, attempt: result.attempt }
  const review = result.review ?? null
  const event: NewSessionEvent = review
    ? { type: 'task_review_requested', data: { ...ref, reason: review.reason, confidence: review.confidence } }
    : { type: 'task_completed', data: ref }
  // One statement: the claim, then (only if it matched) the decisions, the snapshot and the event.
  const { rows } = await sql<AppendedEventRow>`
    with claimed as (
      update agent_tasks set
        output_data = ${result.outputJson}::jsonb, model = ${result.model},
        input_tokens = ${result.inputTokens}, output_tokens = ${result.outputTokens}, cost_usd = ${result.costUsd},
        cached_input_tokens = ${result.cachedInputTokens ?? 0},
        celery_task_id = ${result.jobId}, status = ${review ? 'awaiting_review' : 'completed'}, completed_at = ${result.now}::timestamptz,
        duration_seconds = greatest(0, round(extract(epoch from (${result.now}::timestamptz - started_at))))::int,
        error_message = null
      where id = ${result.taskId} and celery_task_id is distinct from ${result.jobId} and status = 'running'
        and retry_count = ${result.attempt - 1} and retry_at is null
      returning id
    ), decisions as (
      insert into task_decisions (agent_task_id, decision_text, rationale, category)
      select claimed.id, d.text, d.rationale, d.category
      from claimed, unnest(${decisions.map((d) => d.text)}::text[], ${decisions.map((d) => d.rationale)}::text[],
        ${decisions.map((d) => d.category)}::text[]) with ordinality as d(text, rationale, category, n)
      order by d.n
    ), texts as (
      insert into snapshot_texts (hash, body)
      select t.hash, t.body from claimed, unnest(${texts.map((t) => t.hash)}::text[], ${texts.map((t) => t.body)}::text[]) as t(hash, body)
      on conflict (hash) do nothing
    ), snapshot as (
      insert into agent_snapshots (agent_task_id, agent_role, context_state, capabilities, decisions, execution_metadata)
      select claimed.id, ${result.role}, ${result.contextJson}::jsonb, ${JSON.stringify(result.capabilities)}::jsonb,
        ${JSON.stringify(decisions)}::jsonb, ${JSON.stringify(metadata)}::jsonb
      from claimed
    ), ${settleReservationCtes(result.taskId, result.sessionId, result.costUsd, result.now)}
    ${eventAppendCtes({
      sessionId: result.sessionId,
      events: [event],
      onlyIf: sql<boolean>`exists (select 1 from claimed)`,
      // The session waits for a human from the same commit on (the supervisor's state follows when told).
      ...(review ? { alsoSet: sql`awaiting = 'review'` } : {}),
    })}
    select session_id, seq, type, at, data from appended_events`.execute(trx)
  return eventsFromRows(rows)[0] ?? null
}

/** Stores a failed attempt's snapshot (the supervisor decides whether it is retried). */
export async function recordTaskFailure(trx: Trx, failure: TaskFailureRecord): Promise<void> {
  await trx
    .insertInto('agent_snapshots')
    .values({
      agent_task_id: failure.taskId,
      agent_role: failure.role,
      context_state: JSON.stringify(failure.context),
      capabilities: JSON.stringify(failure.capabilities),
      decisions: JSON.stringify([]),
      execution_metadata: JSON.stringify({
        outcome: 'failed',
        attempt: failure.attempt,
        error: failure.error,
        error_kind: failure.kind,
        reply_outcome: 'failed',
        replies: failure.replies ?? [],
        node_id: failure.nodeId,
      }),
    })
    .execute()
}

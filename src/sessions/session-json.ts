import type { AgentSnapshot, AgentTask, ExecutionSession, ReviewSetting, TaskDecision } from '../db/index.ts'

/** What a session's tasks add up to (API.md: a session's tokens and cost are its tasks'). */
export interface SessionTotals {
  input_tokens: number
  output_tokens: number
  /** USD; 0 when no task has a known price. */
  cost_usd: number
}

/** A session as API.md shows it. */
export interface SessionJson {
  id: number
  team_id: number
  user_id: number
  feature_name: string
  description: string
  plan: ExecutionSession['plan']
  status: ExecutionSession['status']
  started_at: Date | null
  ended_at: Date | null
  duration_seconds: number | null
  created_at: Date
  /** The session this one was forked from, and the role the fork re-ran from. */
  parent_id: number | null
  forked_from_role: string | null
  /** Which finished tasks wait for a human's review: `none`, `all` or a list of roles. */
  review: ReviewSetting
  budget_usd: number | null
  input_tokens: number
  output_tokens: number
  cost_usd: number
  consistency_score: number | null
  awaiting: 'review' | 'budget' | null
}

/** A task as API.md shows it. */
export interface TaskJson {
  id: number
  session_id: number
  agent_role: string
  task_description: string | null
  input_data: unknown
  output_data: unknown
  status: AgentTask['status']
  started_at: Date | null
  completed_at: Date | null
  duration_seconds: number | null
  error_message: string | null
  retry_count: number
  model: string | null
  input_tokens: number
  output_tokens: number
  cost_usd: number | null
  /** The output's own confidence (0..1); null until the task has a valid output. */
  confidence: number | null
  /** The parent session's task a fork copied this one from (no model call); null when it ran here. */
  reused_from_task_id: number | null
  created_at: Date
}

/** Where a journal decision comes from. */
export type DecisionSource = 'user' | 'agent' | 'review'

/**
 * One entry of a session's decision journal (API.md `decision`): a team member's, an agent's or a
 * reviewer's. `source` and `id` together identify it: agents' decisions are numbered apart.
 */
export interface DecisionJson {
  id: number
  session_id: number
  decision_text: string
  rationale: string | null
  category: string | null
  /** `high`, `medium` or `low`: the member's own, or an agent's output confidence in those bands. */
  confidence: string | null
  source: DecisionSource
  agent_role: string | null
  task_id: number | null
  /** The member's or reviewer's username; null for agents. */
  author: string | null
  created_at: Date
}

/** Adds up the tokens and cost of `tasks`; cost sums only the tasks whose price is known. */
export function sessionTotals(tasks: Pick<AgentTask, 'input_tokens' | 'output_tokens' | 'cost_usd'>[]): SessionTotals {
  let input = 0
  let output = 0
  let cost = 0
  for (const t of tasks) {
    input += t.input_tokens
    output += t.output_tokens
    cost += t.cost_usd ?? 0
  }
  // Rounded to a micro-dollar so sums do not depend on the order floating point adds them in.
  return { input_tokens: input, output_tokens: output, cost_usd: Math.round(cost * 1e6) / 1e6 }
}

/** Picks API.md's session fields (not the internal actor address), with its tasks' totals. */
export function sessionJson(s: ExecutionSession, totals: SessionTotals): SessionJson {
  return {
    id: s.id,
    team_id: s.team_id,
    user_id: s.user_id,
    feature_name: s.feature_name,
    description: s.description,
    plan: s.plan,
    status: s.status,
    started_at: s.started_at,
    ended_at: s.ended_at,
    duration_seconds: s.duration_seconds,
    created_at: s.created_at,
    parent_id: s.parent_id ?? null,
    forked_from_role: s.forked_from_role ?? null,
    review: s.review ?? 'none',
    budget_usd: s.budget_usd ?? null,
    input_tokens: totals.input_tokens,
    output_tokens: totals.output_tokens,
    cost_usd: totals.cost_usd,
    consistency_score: s.consistency_score ?? null,
    awaiting: s.awaiting ?? null,
  }
}

/** An output's `confidence` when it is a number in 0..1; null otherwise. Never throws. */
export function outputConfidence(output: unknown): number | null {
  if (output === null || typeof output !== 'object') return null
  const c = (output as Record<string, unknown>).confidence
  return typeof c === 'number' && Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : null
}

/** Picks API.md's task fields. */
export function taskJson(t: AgentTask): TaskJson {
  return {
    id: t.id,
    session_id: t.session_id,
    agent_role: t.agent_role,
    task_description: t.task_description,
    input_data: t.input_data,
    output_data: t.output_data,
    status: t.status,
    started_at: t.started_at,
    completed_at: t.completed_at,
    duration_seconds: t.duration_seconds,
    error_message: t.error_message,
    retry_count: t.retry_count,
    model: t.model,
    input_tokens: t.input_tokens,
    output_tokens: t.output_tokens,
    cost_usd: t.cost_usd,
    confidence: t.status === 'completed' || t.status === 'awaiting_review' ? outputConfidence(t.output_data) : null,
    reused_from_task_id: t.reused_from_task_id ?? null,
    created_at: t.created_at,
  }
}

/** An agent's decision as the API shows it. */
export type TaskDecisionJson = TaskDecision

/** A snapshot as the API shows it. */
export type SnapshotJson = AgentSnapshot

import type { AgentSnapshot, AgentTask, ExecutionSession, SessionDecision, TaskDecision } from '../db/index.ts'

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
  created_at: Date
}

/** Picks API.md's session fields (not the internal actor address). */
export function sessionJson(s: ExecutionSession): SessionJson {
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
  }
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
    created_at: t.created_at,
  }
}

/** A journal decision as the API shows it. */
export type DecisionJson = SessionDecision

/** An agent's decision as the API shows it. */
export type TaskDecisionJson = TaskDecision

/** A snapshot as the API shows it. */
export type SnapshotJson = AgentSnapshot

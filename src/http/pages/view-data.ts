/** Rows and API objects → the views' data (API.md's JSON shapes: ISO-8601 strings for timestamps). */
import type { PublicUser } from '../../auth/index.ts'
import type { AgentSnapshot, AgentTask, ExecutionSession, SessionDecision, TaskDecision } from '../../db/index.ts'
import type { TeamMember, TeamView as TeamRow } from '../../teams/index.ts'
import type {
  DecisionView,
  MemberView,
  SessionView,
  SnapshotView,
  TaskDecisionView,
  TaskView,
  TeamView,
  UserView,
} from '../../views/index.ts'

function iso(d: Date): string
function iso(d: Date | null): string | null
function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString()
}

/** A user for the views. */
export function userView(u: PublicUser): UserView {
  return { id: u.id, username: u.username, email: u.email, created_at: iso(u.created_at) }
}

/** A team (with the viewer's role) for the views. */
export function teamView(t: TeamRow): TeamView {
  return { ...t, created_at: iso(t.created_at), updated_at: iso(t.updated_at) }
}

/** A member row for the views. */
export function memberView(m: TeamMember): MemberView {
  return { ...m, joined_at: iso(m.joined_at) }
}

/** A session for the views (API.md's fields only). */
export function sessionView(s: ExecutionSession): SessionView {
  return {
    id: s.id,
    team_id: s.team_id,
    user_id: s.user_id,
    feature_name: s.feature_name,
    description: s.description,
    plan: s.plan,
    status: s.status,
    started_at: iso(s.started_at),
    ended_at: iso(s.ended_at),
    duration_seconds: s.duration_seconds,
    created_at: iso(s.created_at),
  }
}

/** An agent's decision for the views. */
export function taskDecisionView(d: TaskDecision): TaskDecisionView {
  return { ...d, created_at: iso(d.created_at) }
}

/** A task (with its decisions, when given) for the views. */
export function taskView(t: AgentTask, decisions?: TaskDecision[]): TaskView {
  return {
    id: t.id,
    session_id: t.session_id,
    agent_role: t.agent_role,
    task_description: t.task_description,
    input_data: t.input_data,
    output_data: t.output_data,
    status: t.status,
    started_at: iso(t.started_at),
    completed_at: iso(t.completed_at),
    duration_seconds: t.duration_seconds,
    error_message: t.error_message,
    retry_count: t.retry_count,
    model: t.model,
    input_tokens: t.input_tokens,
    output_tokens: t.output_tokens,
    cost_usd: t.cost_usd,
    created_at: iso(t.created_at),
    ...(decisions ? { decisions: decisions.map(taskDecisionView) } : {}),
  }
}

/** A journal decision for the views. */
export function decisionView(d: SessionDecision): DecisionView {
  return { ...d, created_at: iso(d.created_at) }
}

/** A snapshot for the views. */
export function snapshotView(s: AgentSnapshot): SnapshotView {
  return { ...s, created_at: iso(s.created_at) }
}

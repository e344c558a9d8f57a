/** Rows and API objects → the views' data (API.md's JSON shapes: ISO-8601 strings for timestamps). */
import type { PublicUser } from '../../auth/index.ts'
import type { AgentSnapshot, AgentTask, ExecutionSession, TaskDecision } from '../../db/index.ts'
import { type DecisionJson, type SessionTotals, sessionJson, sessionTotals, taskJson } from '../../sessions/index.ts'
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

/** A session for the views: API.md's fields (sessionJson) with ISO timestamps, without its totals. */
export function sessionView(s: ExecutionSession): SessionView {
  return sessionViewOf(s, null)
}

/** A session for the views with its tasks' tokens and cost. */
export function sessionViewWithTotals(s: ExecutionSession, totals: SessionTotals): SessionView {
  return sessionViewOf(s, totals)
}

function sessionViewOf(s: ExecutionSession, totals: SessionTotals | null): SessionView {
  const { input_tokens, output_tokens, cost_usd, ...json } = sessionJson(s, totals ?? sessionTotals([]))
  return {
    id: json.id,
    team_id: json.team_id,
    user_id: json.user_id,
    feature_name: json.feature_name,
    description: json.description,
    plan: json.plan,
    status: json.status,
    duration_seconds: json.duration_seconds,
    started_at: iso(json.started_at),
    ended_at: iso(json.ended_at),
    created_at: iso(json.created_at),
    consistency_score: json.consistency_score,
    ...(totals ? { input_tokens, output_tokens, cost_usd } : {}),
  }
}

/** An agent's decision for the views. */
export function taskDecisionView(d: TaskDecision): TaskDecisionView {
  return { ...d, created_at: iso(d.created_at) }
}

/** A task (with its decisions, when given) for the views: API.md's fields (taskJson), ISO timestamps and its cost. */
export function taskView(t: AgentTask, decisions?: TaskDecision[]): TaskView {
  const json = taskJson(t)
  return {
    ...json,
    started_at: iso(json.started_at),
    completed_at: iso(json.completed_at),
    created_at: iso(json.created_at),
    ...(decisions ? { decisions: decisions.map(taskDecisionView) } : {}),
  }
}

/** A journal decision (a member's, an agent's or a reviewer's) for the views. */
export function decisionView(d: DecisionJson): DecisionView {
  return { ...d, created_at: iso(d.created_at) }
}

/** A snapshot for the views. */
export function snapshotView(s: AgentSnapshot): SnapshotView {
  return { ...s, created_at: iso(s.created_at) }
}

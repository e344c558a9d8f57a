/** Rows and API objects → the views' data (API.md's JSON shapes: ISO-8601 strings for timestamps). */
import type { PublicUser } from '../../auth/index.ts'
import type { AgentSnapshot, AgentTask, ExecutionSession, SessionDecision, TaskDecision } from '../../db/index.ts'
import { sessionJson, taskJson } from '../../sessions/index.ts'
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

/** A session for the views: API.md's fields (sessionJson) with ISO timestamps. */
export function sessionView(s: ExecutionSession): SessionView {
  const json = sessionJson(s)
  return { ...json, started_at: iso(json.started_at), ended_at: iso(json.ended_at), created_at: iso(json.created_at) }
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
    cost_usd: t.cost_usd,
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

/**
 * The data every view renders, shaped like API.md's JSON (snake_case fields, ISO-8601
 * timestamps, numeric ids), so a route can hand an API object to a view unchanged.
 */
import type { AgentRole } from '../agents/index.ts'
import type { SessionEvent } from '../events/index.ts'

export type SessionStatus = 'active' | 'completed' | 'failed' | 'cancelled'
export type SessionPlan = 'dag' | 'parallel' | 'sequential'
export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled' | 'awaiting_review' | 'awaiting_budget'
/** Which finished tasks need a human's review: none, all, or the tasks of these roles. */
export type ReviewSetting = 'none' | 'all' | string[]

/** API.md `team.settings`: the defaults of a team's new sessions. */
export interface TeamSettingsView {
  review: ReviewSetting
  review_below_confidence: number | null
  session_budget_usd: number | null
  monthly_budget_usd: number | null
}
export type TeamRole = 'owner' | 'member' | 'viewer'
export type DecisionConfidence = 'high' | 'medium' | 'low'

/** API.md `user`. */
export interface UserView {
  id: number
  username: string
  email: string
  created_at: string
}

/** API.md `team`; `role` is the viewer's role in it. */
export interface TeamView {
  id: number
  name: string
  description: string | null
  owner_id: number
  is_shared: boolean
  created_at: string
  updated_at: string
  role: TeamRole
  settings?: TeamSettingsView
}

/** API.md team member row. */
export interface MemberView {
  user_id: number
  username: string
  role: TeamRole
  joined_at: string
}

/** API.md `session`. */
export interface SessionView {
  id: number
  team_id: number
  user_id: number
  feature_name: string
  description: string
  plan: SessionPlan
  status: SessionStatus
  started_at: string | null
  ended_at: string | null
  duration_seconds: number | null
  created_at: string
  /** Its tasks' totals, where the route counted them. */
  input_tokens?: number
  output_tokens?: number
  cost_usd?: number
  /** API.md's iteration, cost and consistency fields, where the route has them. */
  parent_id?: number | null
  forked_from_role?: string | null
  review?: ReviewSetting | null
  budget_usd?: number | null
  consistency_score?: number | null
  awaiting?: 'review' | 'budget' | null
}

/** A decision an agent made (API.md task `decisions`). */
export interface TaskDecisionView {
  id: number
  agent_task_id: number
  decision_text: string
  rationale: string | null
  category: string | null
  created_at: string
}

/** API.md `task`, optionally with its decisions. */
export interface TaskView {
  id: number
  session_id: number
  agent_role: AgentRole | string
  task_description: string | null
  input_data: unknown
  output_data: unknown
  status: TaskStatus
  started_at: string | null
  completed_at: string | null
  duration_seconds: number | null
  error_message: string | null
  retry_count: number
  model: string | null
  input_tokens: number
  output_tokens: number
  cost_usd?: number | null
  /** The output's confidence, 0..1 (API.md task `confidence`). */
  confidence?: number | null
  /** The parent session's task a fork copied this one from; null when it ran here. */
  reused_from_task_id?: number | null
  created_at: string
  decisions?: TaskDecisionView[]
}

/** API.md `decision`: an entry of a session's decision journal (a member's, an agent's or a reviewer's). */
export interface DecisionView {
  id: number
  session_id: number
  decision_text: string
  category: string | null
  confidence: string | null
  created_at: string
  /** `user`, `agent` or `review`; absent reads as `user`. */
  source?: 'user' | 'agent' | 'review'
  rationale?: string | null
  agent_role?: string | null
  task_id?: number | null
  author?: string | null
}

/** API.md `snapshot`: an agent's state when its task ended. */
export interface SnapshotView {
  id: number
  agent_task_id: number
  agent_role: string
  context_state: unknown
  capabilities: unknown
  decisions: unknown
  execution_metadata: unknown
  created_at: string
}

/** API.md event: `{id, session_id, type, at, data}`, typed per `type` by its one definition in src/events. */
export type SessionEventView = SessionEvent

/** API.md `GET /api/dashboard`. */
export interface DashboardStatsView {
  teams: number
  sessions: { total: number; active: number; completed: number; failed: number; cancelled: number }
  tasks: { total: number; completed: number; failed: number }
  decisions: number
  avg_session_seconds: number | null
  input_tokens?: number
  output_tokens?: number
  cost_usd?: number
  /** Mean consistency score of the checked sessions; null before any. */
  consistency_score?: number | null
}

/** Per-role statistics (API.md team stats / agents). */
export interface RoleStatsView {
  agent_role: string
  tasks: number
  completed: number
  failed: number
  /** 0..1, or null with no finished task. */
  success_rate: number | null
  mean_duration_seconds: number | null
  input_tokens?: number
  output_tokens?: number
  cost_usd?: number
}

/** Sessions started on one UTC day, by outcome. */
export interface SessionsPerDayView {
  /** `YYYY-MM-DD` */
  day: string
  active: number
  completed: number
  failed: number
  cancelled: number
}

/** A labelled count (decisions per category, confidence bins). */
export interface CountView {
  label: string
  count: number
}

/**
 * A session's plan for display, computed by the route from the orchestrator's plan graph: the
 * roles in stages (first stage first) and, per role, the roles it waits for.
 */
export interface PlanView {
  stages: string[][]
  waits_for: Record<string, string[]>
  /**
   * Per skipped role, the failed roles upstream that it was skipped for, so its card can name
   * them; absent when the route did not know the tasks' statuses.
   */
  blocked_by?: Record<string, string[]>
}

/** Field errors of a submitted form: field name → message. */
export type FieldErrors = Record<string, string>

/** Values a submitted form sends back to be shown again (never passwords). */
export type FormValues = Record<string, string | string[] | undefined>

/** A one-off message shown at the top of the next page. */
export interface FlashView {
  kind: 'success' | 'error' | 'info'
  message: string
}

/** What every full page knows about the request: the viewer, their CSRF token, a flash. */
export interface PageContext {
  user: UserView | null
  csrf_token: string | null
  flash?: FlashView | null
  /** The path being rendered, so the nav can mark the current page. */
  path: string
  /** How many tasks await a verdict the viewer may give (the nav's badge); absent: none. */
  awaiting_reviews?: number
}

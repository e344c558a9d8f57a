import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { ApiTokenTables } from './api-token-tables.ts'
import type { AuthTables } from './auth-tables.ts'
import type { BudgetTables } from './budget-tables.ts'
import type { EventTables } from './event-tables.ts'
import type { RuntimeTables } from './runtime-tables.ts'

/** A timestamp column with a database default: read as a Date, optional on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>
/** A nullable timestamp column. */
type Timestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
/** A `jsonb` column. */
export type Json = ColumnType<unknown, string | undefined | null, string | null>

export type SessionStatus = 'active' | 'completed' | 'failed' | 'cancelled'
export type SessionPlan = 'dag' | 'parallel' | 'sequential'
export type TaskStatus =
  | 'pending'
  | 'running'
  | 'completed'
  | 'failed'
  | 'skipped'
  | 'cancelled'
  /** Finished; waits for a human's verdict before its dependants start (migration 0100). */
  | 'awaiting_review'
  /** Not started: with its estimate it would pass the session's or the team's monthly budget (migration 0100). */
  | 'awaiting_budget'
/** What an active session waits for, if anything. */
export type SessionAwaiting = 'review' | 'budget'
/** Which finished tasks need a human's review: none, all, or the tasks of these roles. */
export type ReviewSetting = 'none' | 'all' | string[]
/** A `jsonb` column holding a `ReviewSetting` (written as JSON text). */
type ReviewColumn = ColumnType<ReviewSetting, string | undefined, string>
export type TeamRole = 'owner' | 'member' | 'viewer'

export interface UsersTable {
  id: Generated<number>
  username: string
  email: string
  password_hash: string
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface TeamsTable {
  id: Generated<number>
  name: string
  owner_id: number
  is_shared: ColumnType<boolean, boolean | undefined, boolean>
  description: string | null
  created_at: CreatedAt
  updated_at: CreatedAt
  /** The defaults of the team's new sessions (migration 0100; API.md `team.settings`). */
  review: ReviewColumn
  review_below_confidence: ColumnType<number | null, number | null | undefined, number | null>
  session_budget_usd: ColumnType<number | null, number | null | undefined, number | null>
  monthly_budget_usd: ColumnType<number | null, number | null | undefined, number | null>
}

export interface TeamMembershipsTable {
  id: Generated<number>
  team_id: number
  user_id: number
  role: TeamRole
  joined_at: CreatedAt
}

export interface ExecutionSessionsTable {
  id: Generated<number>
  team_id: number
  user_id: number
  feature_name: string
  description: ColumnType<string, string | undefined, string>
  plan: ColumnType<SessionPlan, SessionPlan | undefined, SessionPlan>
  status: SessionStatus
  started_at: Timestamp
  ended_at: Timestamp
  duration_seconds: number | null
  /** The seed's Celery chain id; holds the supervisor actor's address. */
  celery_chain_id: string | null
  /** The last event number handed out for this session (migration 0030). */
  event_seq: ColumnType<number, number | undefined, number>
  created_at: CreatedAt
  /** The session this one was forked from, and the role it re-ran from (migration 0100). */
  parent_id: ColumnType<number | null, number | null | undefined, number | null>
  forked_from_role: ColumnType<string | null, string | null | undefined, string | null>
  /** Which finished tasks wait for review, and the confidence below which any does; from the team's settings at start. */
  review: ReviewColumn
  review_below_confidence: ColumnType<number | null, number | null | undefined, number | null>
  budget_usd: ColumnType<number | null, number | null | undefined, number | null>
  /** 0–100 once the consistency rules ran; null before. */
  consistency_score: ColumnType<number | null, number | null | undefined, number | null>
  awaiting: ColumnType<SessionAwaiting | null, SessionAwaiting | null | undefined, SessionAwaiting | null>
}

export interface SessionDecisionsTable {
  id: Generated<number>
  session_id: number
  decision_text: string
  category: string | null
  confidence: string | null
  /** The team member who added it; null for older rows and deleted users (migration 0070). */
  user_id: ColumnType<number | null, number | null | undefined, number | null>
  created_at: CreatedAt
}

export interface AgentTasksTable {
  id: Generated<number>
  session_id: number
  agent_role: string
  task_description: string | null
  input_data: Json
  output_data: Json
  status: TaskStatus
  started_at: Timestamp
  completed_at: Timestamp
  duration_seconds: number | null
  error_message: string | null
  retry_count: ColumnType<number, number | undefined, number>
  /** The seed's Celery task id; holds the agent actor's address. */
  celery_task_id: string | null
  model: string | null
  input_tokens: ColumnType<number, number | undefined, number>
  output_tokens: ColumnType<number, number | undefined, number>
  cost_usd: number | null
  /** When a failed attempt's retry is due; null unless waiting for one (migration 0031). */
  retry_at: Timestamp
  created_at: CreatedAt
  /** The parent session's task a fork copied this one from (no model call); null otherwise (migration 0100). */
  reused_from_task_id: ColumnType<number | null, number | null | undefined, number | null>
  /** What the next attempt is told to change: a reviewer's comment or a fork's feedback; null for none. */
  feedback: ColumnType<string | null, string | null | undefined, string | null>
  /** Input tokens the provider served from its prompt cache (part of `input_tokens`). */
  cached_input_tokens: ColumnType<number, number | undefined, number>
  /** Attempts before the current run (a reviewer's changes or a resume start the retries again; migration 0101). */
  attempt_base: ColumnType<number, number | undefined, number>
}

/** One human verdict on one attempt of a task (at most one per attempt). */
export interface TaskReviewsTable {
  id: Generated<number>
  task_id: number
  attempt: number
  reviewer_id: number | null
  /** The reviewer's username when the verdict was given. */
  reviewer: string
  verdict: 'approve' | 'changes' | 'reject'
  comment: string | null
  created_at: CreatedAt
}

/** A cross-role consistency finding of a session. */
export interface ConsistencyFindingsTable {
  id: Generated<number>
  session_id: number
  rule: string
  severity: 'error' | 'warning'
  /** The roles involved, as a JSON array of role ids. */
  roles: ColumnType<string[], string, string>
  message: string
  status: ColumnType<'open' | 'resolved' | 'dismissed', 'open' | 'resolved' | 'dismissed' | undefined, 'open' | 'resolved' | 'dismissed'>
  note: string | null
  created_at: CreatedAt
  updated_at: CreatedAt
}

export interface TaskDecisionsTable {
  id: Generated<number>
  agent_task_id: number
  decision_text: string
  rationale: string | null
  category: string | null
  created_at: CreatedAt
}

export interface AgentSnapshotsTable {
  id: Generated<number>
  agent_task_id: number
  agent_role: string
  context_state: Json
  capabilities: Json
  decisions: Json
  execution_metadata: Json
  created_at: CreatedAt
}

/** A text snapshots refer to by hash instead of copying it (migration 0130): written once, never changed. */
export interface SnapshotTextsTable {
  hash: string
  body: string
  created_at: CreatedAt
}

/** The seed's tables. */
export interface SeedTables {
  users: UsersTable
  teams: TeamsTable
  team_memberships: TeamMembershipsTable
  execution_sessions: ExecutionSessionsTable
  session_decisions: SessionDecisionsTable
  agent_tasks: AgentTasksTable
  task_decisions: TaskDecisionsTable
  agent_snapshots: AgentSnapshotsTable
  snapshot_texts: SnapshotTextsTable
}

/** The iteration loop's and consistency check's tables (migration 0100). */
export interface IterationTables {
  task_reviews: TaskReviewsTable
  consistency_findings: ConsistencyFindingsTable
}

/**
 * Every table Sage Mode reads or writes. Column names are the database's
 * (snake_case, as the API returns them). Each area keeps its tables in its own
 * file (`auth-tables.ts`, `runtime-tables.ts`, `event-tables.ts`).
 */
export interface Database extends SeedTables, IterationTables, AuthTables, RuntimeTables, EventTables, ApiTokenTables, BudgetTables {}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type Team = Selectable<TeamsTable>
export type TeamUpdate = Updateable<TeamsTable>
export type TeamMembership = Selectable<TeamMembershipsTable>
export type ExecutionSession = Selectable<ExecutionSessionsTable>
export type SessionDecision = Selectable<SessionDecisionsTable>
export type AgentTask = Selectable<AgentTasksTable>
export type TaskDecision = Selectable<TaskDecisionsTable>
export type AgentSnapshot = Selectable<AgentSnapshotsTable>
export type TaskReview = Selectable<TaskReviewsTable>
export type ConsistencyFinding = Selectable<ConsistencyFindingsTable>

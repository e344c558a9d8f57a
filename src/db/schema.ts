import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { ApiTokenTables } from './api-token-tables.ts'
import type { AuthTables } from './auth-tables.ts'
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
export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled'
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
}

/**
 * Every table Sage Mode reads or writes. Column names are the database's
 * (snake_case, as the API returns them). Each area keeps its tables in its own
 * file (`auth-tables.ts`, `runtime-tables.ts`, `event-tables.ts`).
 */
export interface Database extends SeedTables, AuthTables, RuntimeTables, EventTables, ApiTokenTables {}

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

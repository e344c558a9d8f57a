/**
 * Compile-time checks that the handlers' JSON and the documented schemas cannot drift apart: for
 * each shape, the type a handler builds (dates as the ISO strings JSON makes of them) fits the
 * schema's `z.output`, and both have the same fields. A field added on one side only, or a value
 * the schema does not allow, fails `tsc`. Types only: nothing runs, nothing is validated per request.
 */
import type { z } from 'zod'
import type { ApiTokenView, PublicUser } from '../../auth/index.ts'
import type { AgentStats as AgentStatsRow, DashboardStats as DashboardRow, RecentDecision as RecentRow, RoleStats as RoleRow, TeamStats as TeamStatsRow } from '../../dashboard/index.ts'
import type { DecisionJson, SessionJson, SnapshotJson, TaskDecisionJson, TaskJson } from '../../sessions/index.ts'
import type { TeamMember, TeamSettings as TeamSettingsRow, TeamView } from '../../teams/index.ts'
import type { DesignDocumentJson } from '../pages/document-data.ts'
import type { ApiToken, User } from './auth.ts'
import type { AgentStats, DashboardStats, RecentDecision, RoleStats, TeamStats } from './dashboard.ts'
import type { SessionExport } from './iteration.ts'
import type { Decision, Session, Snapshot, Task, TaskDecision } from './sessions.ts'
import type { Member, Team, TeamSettings } from './teams.ts'

/** What `JSON.stringify` makes of `T`: dates become strings. */
export type Serialized<T> = T extends Date ? string : T extends readonly (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T

type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false
type Fits<Sent, Documented> = [Serialized<Sent>] extends [Documented] ? true : false

/** True when what a handler sends (`Sent`) is exactly what `Schema` documents. */
export type Matches<Sent, Schema extends z.ZodType> = Fits<Sent, z.output<Schema>> extends true ? SameKeys<Sent, z.output<Schema>> : false

type Assert<T extends true> = T

/** Each pair: the handler's type, the documented schema. */
export type ResponseShapesMatch = [
  Assert<Matches<PublicUser, typeof User>>,
  Assert<Matches<ApiTokenView, typeof ApiToken>>,
  Assert<Matches<TeamView, typeof Team>>,
  Assert<Matches<TeamSettingsRow, typeof TeamSettings>>,
  Assert<Matches<TeamMember, typeof Member>>,
  Assert<Matches<SessionJson, typeof Session>>,
  Assert<Matches<TaskJson, typeof Task>>,
  Assert<Matches<TaskDecisionJson, typeof TaskDecision>>,
  Assert<Matches<DecisionJson, typeof Decision>>,
  Assert<Matches<SnapshotJson, typeof Snapshot>>,
  Assert<Matches<DashboardRow, typeof DashboardStats>>,
  Assert<Matches<RoleRow, typeof RoleStats>>,
  Assert<Matches<TeamStatsRow, typeof TeamStats>>,
  Assert<Matches<RecentRow, typeof RecentDecision>>,
  Assert<Matches<AgentStatsRow, typeof AgentStats>>,
  Assert<Matches<DesignDocumentJson, typeof SessionExport>>,
]

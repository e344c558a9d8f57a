export { ApiToken, ApiTokenList, CreatedApiToken, LoginResult, User } from './auth.ts'
export { API_SCHEMAS, apiSchemaName, componentSchemas, schemaRef } from './catalog.ts'
export type { ApiSchemaName } from './catalog.ts'
export { AnyJson, Count, ErrorBody, Fraction, Id, Timestamp, Usd } from './common.ts'
export {
  AgentStats,
  AgentStatsList,
  Calibration,
  CalibrationBin,
  DashboardStats,
  RecentDecision,
  RecentDecisionList,
  RoleCalibration,
  RoleStats,
  TeamStats,
} from './dashboard.ts'
export { documented, SECURITY_SCHEMES, securityOf } from './documented.ts'
export type { OperationAuth, OperationDoc, SuccessBody } from './documented.ts'
export { ERROR_STATUSES, errorResponseComponents, errorResponseRef } from './error-responses.ts'
export type { ErrorStatus } from './error-responses.ts'
export { DecisionDiff, Estimate, Finding, FindingEnvelope, FindingList, Review, ReviewList, RoleDiff, RoleEstimate, SessionDiff, SessionExport, TaskEnvelope } from './iteration.ts'
export {
  AgentRole,
  Decision,
  DecisionEnvelope,
  DecisionList,
  DecisionPage,
  Session,
  SessionDetail,
  SessionEnvelope,
  SessionPage,
  SessionPlan,
  SessionStatus,
  Snapshot,
  SnapshotEnvelope,
  SnapshotList,
  Task,
  TaskDecision,
  TaskList,
  TaskStatus,
  TaskWithDecisions,
} from './sessions.ts'
export { Member, MemberEnvelope, ReviewPolicy, Team, TeamDetail, TeamEnvelope, TeamList, TeamRole, TeamSettings } from './teams.ts'

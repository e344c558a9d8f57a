export { addDecision, listDecisions } from './decision.repo.ts'
export { listSessionPage, listSessionStarters } from './session-list.repo.ts'
export type { SessionListFilter, SessionListPage, SessionListRow, SessionStarter } from './session-list.repo.ts'
export { sessionJson, taskJson } from './session-json.ts'
export type { DecisionJson, SessionJson, SnapshotJson, TaskDecisionJson, TaskJson } from './session-json.ts'
export { createSession, decodeCursor, encodeCursor, getSession, listSessions } from './session.repo.ts'
export type { SessionPage } from './session.repo.ts'
export {
  AddDecisionBody,
  CONFIDENCES,
  CreateSessionBody,
  ListDecisionsQuery,
  ListSessionsQuery,
  SESSION_PLANS,
  SESSION_STATUSES,
} from './session.schemas.ts'
export type { AddDecisionInput, CreateSessionInput, ListDecisionsInput, ListSessionsInput } from './session.schemas.ts'
export { latestSnapshot, listTasks, taskDecisionsByTask } from './task.repo.ts'

export { addDecision, listDecisions } from './decision.repo.ts'
export { sessionJson, taskJson } from './session-json.ts'
export type { DecisionJson, SessionJson, SnapshotJson, TaskDecisionJson, TaskJson } from './session-json.ts'
export { decodeCursor, encodeCursor, getSession, insertSession, listSessions } from './session.repo.ts'
export type { NewTaskRow, SessionPage } from './session.repo.ts'
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
export { countTasksByStatus, latestSnapshot, listTasks, taskDecisionsByTask, tokensByModel } from './task.repo.ts'

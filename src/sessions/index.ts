export { addDecision, decodeDecisionCursor, encodeDecisionCursor, listDecisions, searchJournal } from './decision.repo.ts'
export type { DecisionPage, JournalFilter } from './decision.repo.ts'
export { outputConfidence, sessionJson, sessionTotals, taskJson } from './session-json.ts'
export type { DecisionJson, DecisionSource, SessionJson, SessionTotals, SnapshotJson, TaskDecisionJson, TaskJson } from './session-json.ts'
export { createSession, decodeCursor, encodeCursor, getSession, listSessions } from './session.repo.ts'
export type { SessionPage } from './session.repo.ts'
export { sessionTotalsById } from './session-totals.repo.ts'
export {
  AddDecisionBody,
  CONFIDENCES,
  CreateSessionBody,
  DECISION_SOURCES,
  ListDecisionsQuery,
  ListSessionsQuery,
  SearchDecisionsQuery,
  SESSION_PLANS,
  SESSION_STATUSES,
} from './session.schemas.ts'
export type { AddDecisionInput, CreateSessionInput, ListDecisionsInput, ListSessionsInput, SearchDecisionsInput } from './session.schemas.ts'
export { loadDesignDocument } from './design-document.repo.ts'
export type { DesignDocumentRows } from './design-document.repo.ts'
export { latestSnapshot, listTasks, taskDecisionsByTask } from './task.repo.ts'

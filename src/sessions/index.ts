export { addDecision, decodeDecisionCursor, encodeDecisionCursor, listDecisions, searchJournal } from './decision.repo.ts'
export type { DecisionPage, JournalFilter } from './decision.repo.ts'
export { outputConfidence, sessionJson, sessionTotals, taskJson } from './session-json.ts'
export type { DecisionJson, DecisionSource, SessionJson, SessionTotals, SnapshotJson, TaskDecisionJson, TaskJson } from './session-json.ts'
export { decodeCursor, encodeCursor, getSession, insertSession, listSessions } from './session.repo.ts'
export { readSessionDetail, readSessionPage } from './session-page.repo.ts'
export type { SessionDetailRows, SessionPageRows } from './session-page.repo.ts'
export type { NewTaskRow, SessionPage } from './session.repo.ts'
export { sessionTotalsById } from './session-totals.repo.ts'
export { listSessionPage, listSessionStarters, readSessionListPage } from './session-list.repo.ts'
export type { SessionListFilter, SessionListPage, SessionListPageRows, SessionListRow, SessionStarter } from './session-list.repo.ts'
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
export { countTasksByStatus, latestSnapshot, listTasks, snapshotMetadata, taskDecisionsByTask, tokensByModel } from './task.repo.ts'
export { FINDING_STATUSES, findingSessionId, listFindings, UpdateFindingBody, updateFinding } from './findings.repo.ts'
export type { FindingJson, FindingStatus, UpdateFindingInput } from './findings.repo.ts'
export { countAwaitingReviews, listAwaitingReviews, listReviews, listSessionReviews, ReviewBody, reviewJson } from './review.repo.ts'
export type { AwaitingReview, ReviewInput, ReviewJson, SessionReview } from './review.repo.ts'
export { insertFork, loadLineage } from './fork.repo.ts'
export type { ForkInput, ForkTaskRow, LineageRow } from './fork.repo.ts'
export { changedFields, changedRoles, diffSessions, roleUnchanged } from './session-diff.ts'
export type { DiffSide, DiffTask, RoleDiff, SessionDiff } from './session-diff.ts'
export { loadDiffSide } from './session-diff.repo.ts'
export { DiffQuery, ForkSessionBody } from './fork.schemas.ts'
export type { ForkSessionInput } from './fork.schemas.ts'
export { DEFAULT_ROLE_TOKENS, estimateRoles, estimateSession, roleModels, roleTokenMeans, sessionBudgetStatus } from './estimate.repo.ts'
export type { RoleEstimate, RolePricing, SessionEstimate } from './estimate.repo.ts'

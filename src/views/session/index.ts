export { readAgentOutput } from './agent-output.ts'
export type { AgentOutput, AgentDecision } from './agent-output.ts'
export { AgentDecisionItem, taskDecisions } from './agent-decision.view.tsx'
export { AgentCard, agentCardId, agentStreamId } from './agent-card.view.tsx'
export type { AgentCardProps } from './agent-card.view.tsx'
export { DecisionDetails, DecisionItem, JournalList, JOURNAL_LIST_ID, decisionWho } from './decision-journal.view.tsx'
export { DecisionForm, DECISION_CATEGORIES } from './decision-form.view.tsx'
export type { DecisionFormProps } from './decision-form.view.tsx'
export { SessionSummary, SESSION_SUMMARY_ID } from './session-summary.view.tsx'
export { SessionProgressBar } from './session-progress.view.tsx'
export type { SessionProgressBarProps } from './session-progress.view.tsx'
export { PROGRESS_GROUPS, PROGRESS_LABELS, progressCounts, progressGroup, progressSentence } from './session-progress.ts'
export type { ProgressCounts, ProgressGroup } from './session-progress.ts'
export { failedAgents, failedAttempts, planWithOutcomes, skipCause, upstreamRoles } from './session-failure.ts'
export type { FailedAgent } from './session-failure.ts'
export type { SessionSummaryProps } from './session-summary.view.tsx'
export {
  AgentCardFragment,
  TaskStreamFragment,
  TaskUsageFragment,
  Timeline,
  TimelineFragment,
  TIMELINE_ID,
  SessionSummaryFragment,
  JournalListFragment,
  LiveAnnouncement,
  ANNOUNCER_ID,
} from './live-fragments.view.tsx'
export type { TimelineProps } from './live-fragments.view.tsx'
export { FindingItem, FindingsSection, findingElementId, findingFeedback, findingFormPath, groupFindings } from './findings-section.view.tsx'
export type { FindingGroup, FindingItemProps, FindingsSectionProps, FindingView } from './findings-section.view.tsx'
export { ReviewForms, REVIEW_FIELDS } from './review-forms.view.tsx'
export type { ReviewFormsProps } from './review-forms.view.tsx'
export { AwaitingReviewBadge, ResumeForm } from './review-summary.view.tsx'
export { AwaitingReviewList, ReviewList, REVIEW_LIST_ID } from './review-list.view.tsx'
export type { AwaitingReviewView, ReviewView } from './review-list.view.tsx'
export { ForkCsrfFields, ForkForm, forkFormId } from './fork-form.view.tsx'
export type { ForkFormProps } from './fork-form.view.tsx'
export { SessionLineage } from './fork-lineage.view.tsx'
export type { LineageSession, SessionLineageProps } from './fork-lineage.view.tsx'
export { BudgetPanel, BudgetPanelFragment, BUDGET_PANEL_ID } from './budget-panel.view.tsx'
export type { BudgetPanelProps } from './budget-panel.view.tsx'
export { StartEstimate, START_ESTIMATE_ID } from './budget-estimate.view.tsx'
export type { EstimateView } from './budget-estimate.view.tsx'

// Types of the data views render (API.md's JSON shapes).
export type {
  SessionStatus,
  SessionPlan,
  TaskStatus,
  TeamRole,
  DecisionConfidence,
  UserView,
  TeamView,
  MemberView,
  SessionView,
  TaskDecisionView,
  TaskView,
  DecisionView,
  SnapshotView,
  SessionEventView,
  DashboardStatsView,
  RoleStatsView,
  SessionsPerDayView,
  CountView,
  PlanView,
  FieldErrors,
  FormValues,
  FlashView,
  PageContext,
} from './view-types.ts'
export { CSRF_FIELD } from './form-fields.ts'
export { paths } from './paths.ts'
export {
  roleLabel,
  planLabel,
  humanize,
  formatDuration,
  formatOffset,
  formatDateTime,
  formatClock,
  formatCount,
  formatTokensInOut,
  formatPercent,
  formatUsd,
  elapsedSeconds,
} from './format.ts'
export { renderMarkdown, Markdown } from './markdown/index.ts'
export { Layout, HTMX_CONFIG, BOOST } from './layout/index.ts'
export type { LayoutProps } from './layout/index.ts'
export { Alert, ErrorSummary, EmptyState, Spinner, StatusBadge, JsonTree, CONFIRMED_FIELD, ConfirmForm } from './components/index.ts'
export {
  ganttLayout,
  stackedBarLayout,
  horizontalBarLayout,
  GanttChart,
  StackedBarChart,
  HorizontalBarChart,
  SessionsPerDayChart,
  RoleSuccessChart,
  RoleDurationChart,
  DecisionsByCategoryChart,
  ConfidenceChart,
} from './charts/index.ts'
export type { GanttInput, GanttLayout, GanttTask } from './charts/index.ts'
export {
  AgentCard,
  agentCardId,
  agentStreamId,
  readAgentOutput,
  DecisionForm,
  JournalList,
  SessionSummary,
  Timeline,
  AgentCardFragment,
  TaskStreamFragment,
  TimelineFragment,
  SessionSummaryFragment,
  JournalListFragment,
  LiveAnnouncement,
  JOURNAL_LIST_ID,
  SESSION_SUMMARY_ID,
  TIMELINE_ID,
  ANNOUNCER_ID,
  AwaitingReviewList,
  ReviewList,
  REVIEW_LIST_ID,
} from './session/index.ts'
export { FindingItem, FindingsSection, findingElementId, groupFindings } from './session/index.ts'
export type { FindingView } from './session/index.ts'
export type { AgentCardProps, AwaitingReviewView, DecisionFormProps, ReviewView, SessionSummaryProps, TimelineProps } from './session/index.ts'
export {
  SignupPage,
  LoginPage,
  HomePage,
  TeamsPage,
  TokensPage,
  TeamSettingsPage,
  TEAM_SETTINGS_LABELS,
  TEAM_FORM_LABELS,
  TeamPage,
  InviteForm,
  StartSessionForm,
  SessionPage,
  LIVE_CONNECTION_ID,
  ReplayPage,
  describeEvent,
  highlightMatches,
  TaskSnapshotPage,
  DecisionSearchPage,
  DecisionResults,
  SEARCH_RESULTS_ID,
  DashboardPage,
  AllSessionsPage,
  SessionResults,
  SESSION_RESULTS_ID,
  sessionListHref,
  ConfirmActionPage,
  ErrorPage,
  ErrorFragment,
  errorTitle,
} from './pages/index.ts'
export type {
  SignupPageProps,
  LoginPageProps,
  HomePageProps,
  TeamsPageProps,
  TokensPageProps,
  TeamSettingsPageProps,
  TokenView,
  TeamPageProps,
  InviteFormProps,
  StartSessionFormProps,
  SessionPageProps,
  ReplayPageProps,
  TaskSnapshotPageProps,
  DecisionSearchPageProps,
  DecisionSearchResult,
  DashboardPageProps,
  AllSessionsPageProps,
  SessionListFilters,
  ConfirmActionPageProps,
  ErrorPageProps,
} from './pages/index.ts'
export { DesignDocumentPage, designDocumentMarkdown, FlowDiagram, RoleBlocks, roleBlocks, blocksSummary, parseFlowchart, flowchartSvg } from './document/index.ts'
export type { DesignDocumentData, DesignDocumentPageProps, RoleBlock } from './document/index.ts'
export { ApiReferencePage, apiReferenceModel } from './pages/index.ts'
export type { ApiReferenceModel, ApiReferencePageProps } from './pages/index.ts'
export { DiffPage } from './pages/index.ts'
export type { DiffPageProps, DiffSessionView, RoleDiffView } from './pages/index.ts'

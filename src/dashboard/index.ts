export { agentStats, dashboardFor, recentDecisions, teamStats } from './dashboard.repo.ts'
export type { AgentStats, DashboardStats, RecentDecision, RoleStats, TeamStats } from './dashboard.repo.ts'

import { Elysia } from 'elysia'
import { z } from 'zod'
import { agentStats, calibration, dashboardFor, recentDecisions, teamStats } from '../dashboard/index.ts'
import { IdParams, limitQuery } from '../validation/index.ts'
import { requireTeam } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { AgentStatsList, Calibration, DashboardStats, documented, RecentDecisionList, TeamStats } from './api-schemas/index.ts'

const RecentQuery = z.strictObject({ limit: limitQuery(20) })

/** `/api/dashboard`: aggregates computed in SQL over the caller's teams or one team. */
export function dashboardRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/dashboard', detail: { tags: ['dashboard'] } })
    .use(authGuard(deps))
    .get('', ({ user }) => dashboardFor(db, user.id), {
      auth: true,
      detail: documented({ id: 'getDashboard', summary: 'Totals over the caller’s teams', 200: DashboardStats }),
    })
    .get(
      '/teams/:id/stats',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return teamStats(db, params.id)
      },
      {
        auth: true,
        params: IdParams,
        detail: documented({ id: 'getTeamStats', summary: 'One team’s totals, per-role counts, success rate, mean duration', 200: TeamStats, errors: [404] }),
      },
    )
    .get(
      '/teams/:id/decisions',
      async ({ user, params, query }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return recentDecisions(db, params.id, query.limit)
      },
      {
        auth: true,
        params: IdParams,
        query: RecentQuery,
        detail: documented({ id: 'getTeamRecentDecisions', summary: 'A team’s recent decisions, newest first', 200: RecentDecisionList, errors: [404] }),
      },
    )
    .get(
      '/teams/:id/agents',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return agentStats(db, params.id)
      },
      {
        auth: true,
        params: IdParams,
        detail: documented({ id: 'getTeamAgentStats', summary: 'Per role: last status, tasks run, mean confidence', 200: AgentStatsList, errors: [404] }),
      },
    )
    .get(
      '/teams/:id/calibration',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return calibration(db, { userId: user.id, teamId: params.id })
      },
      { auth: true, params: IdParams, detail: documented({ id: 'getTeamCalibration', summary: 'Per role: confidence bins against approval on first review, and the Brier score', 200: Calibration, errors: [404] }) },
    )
}

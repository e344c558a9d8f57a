import { Elysia } from 'elysia'
import { z } from 'zod'
import { agentStats, calibration, dashboardFor, recentDecisions, teamStats } from '../dashboard/index.ts'
import { IdParams, limitQuery } from '../validation/index.ts'
import { requireTeam } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'

const RecentQuery = z.strictObject({ limit: limitQuery(20) })

/** `/api/dashboard`: aggregates computed in SQL over the caller's teams or one team. */
export function dashboardRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/dashboard', detail: { tags: ['dashboard'] } })
    .use(authGuard(deps))
    .get('', ({ user }) => dashboardFor(db, user.id), { auth: true, detail: { summary: 'Totals over the caller’s teams' } })
    .get(
      '/teams/:id/stats',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return teamStats(db, params.id)
      },
      { auth: true, params: IdParams, detail: { summary: 'One team’s totals, per-role counts, success rate, mean duration' } },
    )
    .get(
      '/teams/:id/decisions',
      async ({ user, params, query }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return recentDecisions(db, params.id, query.limit)
      },
      { auth: true, params: IdParams, query: RecentQuery, detail: { summary: 'A team’s recent decisions, newest first' } },
    )
    .get(
      '/teams/:id/agents',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return agentStats(db, params.id)
      },
      { auth: true, params: IdParams, detail: { summary: 'Per role: last status, tasks run, mean confidence' } },
    )
    .get(
      '/teams/:id/calibration',
      async ({ user, params }) => {
        await requireTeam(db, user.id, params.id, 'read')
        return calibration(db, { userId: user.id, teamId: params.id })
      },
      { auth: true, params: IdParams, detail: { summary: 'Per role: confidence bins against approval on first review, and the Brier score' } },
    )
}

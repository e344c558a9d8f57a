import { Elysia } from 'elysia'
import { ruleTitle } from '../../consistency/index.ts'
import { dashboardPageFigures } from '../../dashboard/index.ts'
import { listTeamsOf } from '../../teams/index.ts'
import { DashboardPage } from '../../views/index.ts'
import { requireTeam } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse } from './page-response.ts'
import { teamView } from './view-data.ts'

/** `/dashboard?team_id=`: headline numbers and SVG charts over the viewer's teams, or one of them. */
export function dashboardPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'dashboard-pages' }).get(
    '/dashboard',
    authedPage(deps, async ({ auth, ctx, url }) => {
      const raw = url.searchParams.get('team_id') ?? ''
      const teamId = /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : null
      if (teamId !== null) await requireTeam(db, auth.user.id, teamId, 'read')
      // The team list and every figure: two statements (the figures in one, see dashboardPageFigures).
      const [teams, figures] = await Promise.all([listTeamsOf(db, auth.user.id), dashboardPageFigures(db, { userId: auth.user.id, teamId })])
      const { stats, charts, rules, calibration: calibrated, cost } = figures
      const { teams: teamCount, sessions, tasks, decisions, avg_session_seconds, input_tokens, output_tokens, cost_usd, consistency_score } = stats
      return htmlResponse(
        <DashboardPage
          ctx={ctx}
          stats={{ teams: teamCount, sessions, tasks, decisions, avg_session_seconds, input_tokens, output_tokens, cost_usd, consistency_score }}
          frequent_rules={rules.map((r) => ({ title: ruleTitle(r.rule), findings: r.findings }))}
          teams={teams.map(teamView)}
          team_id={teamId}
          sessions_per_day={charts.sessions_per_day}
          roles={charts.roles}
          decision_categories={charts.decision_categories}
          confidence_bins={charts.confidence_bins}
          calibration={calibrated}
          cost={cost}
        />,
      )
    }),
  )
}

/**
 * The `/dashboard` page's figures in one statement (readTogether): the headline totals, the
 * charts, the frequent rules, the first verdicts (calibration) and the cost per day, each query
 * as its own function gives it, read in one round trip and one snapshot.
 */
import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import { readTogether } from '../db/read-together.ts'
import { calibrate, firstReviewsOf, firstReviewsQuery, type RoleCalibration } from './calibration.repo.ts'
import { type ChartScope, type DashboardCharts, dashboardChartsOf, dashboardChartsQueries } from './chart-data.repo.ts'
import { frequentRulesOf, frequentRulesQuery, type RuleFrequency } from './consistency-stats.repo.ts'
import { type CostPerDay, type CostTeam, costPerDayOf, costPerDayQueries } from './cost.repo.ts'
import { aggregateOf, aggregateQuery, type DashboardStats } from './dashboard.repo.ts'

/** What the dashboard page shows besides the team list. */
export interface DashboardPageFigures {
  stats: DashboardStats
  charts: DashboardCharts
  rules: RuleFrequency[]
  calibration: RoleCalibration[]
  cost: { teams: CostTeam[]; days: CostPerDay[] }
}

/** The page's figures over every team of `scope.userId`, or `scope.teamId` alone (the caller checked access); cost over `costDays` days. */
export async function dashboardPageFigures(db: Kysely<Database>, scope: ChartScope, costDays = 30): Promise<DashboardPageFigures> {
  const teams =
    scope.teamId !== null
      ? sql`select ${scope.teamId}::bigint as team_id`
      : sql`select id as team_id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
  const rows = await readTogether(db, {
    stats: aggregateQuery(teams),
    ...dashboardChartsQueries(scope),
    rules: frequentRulesQuery(scope),
    reviews: firstReviewsQuery(scope),
    ...costPerDayQueries(scope, costDays),
  })
  const { success_rate: _s, mean_task_seconds: _m, ...stats } = aggregateOf(rows.stats[0])
  return {
    stats,
    charts: dashboardChartsOf(rows),
    rules: frequentRulesOf(rows.rules),
    calibration: calibrate(firstReviewsOf(rows.reviews)),
    cost: costPerDayOf(rows, costDays),
  }
}

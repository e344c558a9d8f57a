import {
  CalibrationChart,
  type CalibrationView,
  ConfidenceChart,
  CostPerDayChart,
  type CostPerDayChartProps,
  DecisionsByCategoryChart,
  RoleDurationChart,
  RoleSuccessChart,
  SessionsPerDayChart,
  TeamCostTable,
} from '../charts/index.ts'
import { Button, EmptyState, LinkButton, PageHeader, SelectField, Stat, TokenCostCells, TokenCostHeads } from '../components/index.ts'
import { formatCount, formatPercent, formatPreciseDuration, formatTokensInOut, formatUsd, roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { CountView, DashboardStatsView, PageContext, RoleStatsView, SessionsPerDayView, TeamView } from '../view-types.ts'

/** Props of {@link DashboardPage}. */
export interface DashboardPageProps {
  ctx: PageContext
  stats: DashboardStatsView
  teams: TeamView[]
  /** The team the numbers are filtered to, or null for all the viewer's teams. */
  team_id: number | null
  sessions_per_day: SessionsPerDayView[]
  roles: RoleStatsView[]
  decision_categories: CountView[]
  confidence_bins: CountView[]
  /** The consistency rules that find the most, with their titles (issue 18). */
  frequent_rules?: { title: string; findings: number }[]
  /** Per role: confidence against approval on first review. */
  calibration?: CalibrationView[]
  /** Cost per day by team, and each team's cost against its monthly budget; absent: not shown. */
  cost?: CostPerDayChartProps & { teams: Parameters<typeof TeamCostTable>[0]['teams'] }
}

/** The dashboard: headline numbers and server-rendered SVG charts, optionally for one team. */
export function DashboardPage(props: DashboardPageProps): JSX.Element {
  const s = props.stats
  const finished = s.tasks.completed + s.tasks.failed
  return (
    <Layout title="Dashboard" ctx={props.ctx} wide>
      <PageHeader title="Dashboard" subtitle="How your teams' sessions and agents are doing.">
        <form method="get" action={paths.dashboard()} class="inline-form">
          <SelectField
            name="team_id"
            label="Team"
            value={props.team_id === null ? '' : String(props.team_id)}
            emptyLabel="All teams"
            options={props.teams.map((t) => ({ value: String(t.id), label: t.name }))}
          />
          <Button variant="secondary">Show</Button>
        </form>
      </PageHeader>
      <dl class="stat-grid">
        <Stat label="Teams" value={formatCount(s.teams)} />
        <Stat label="Sessions" value={formatCount(s.sessions.total)} detail={`${formatCount(s.sessions.active)} active`} />
        <Stat
          label="Completed"
          value={formatCount(s.sessions.completed)}
          detail={`${formatCount(s.sessions.failed)} failed · ${formatCount(s.sessions.cancelled)} cancelled`}
        />
        <Stat
          label="Task success"
          value={formatPercent(finished ? s.tasks.completed / finished : null)}
          detail={`${formatCount(s.tasks.total)} tasks`}
        />
        <Stat label="Decisions" value={formatCount(s.decisions)} />
        <Stat label="Mean session" value={formatPreciseDuration(s.avg_session_seconds)} />
        <Stat
          label="Tokens"
          value={formatCount((s.input_tokens ?? 0) + (s.output_tokens ?? 0))}
          detail={formatTokensInOut(s.input_tokens ?? 0, s.output_tokens ?? 0)}
        />
        <Stat label="Cost" value={formatUsd(s.cost_usd ?? 0)} />
        <Stat
          label="Consistency"
          value={s.consistency_score === null || s.consistency_score === undefined ? '—' : `${s.consistency_score} / 100`}
          detail={props.frequent_rules?.length ? `Most found: ${props.frequent_rules.slice(0, 3).map((r) => `${r.title} (${r.findings})`).join(' · ')}` : 'No finding yet'}
        />
      </dl>
      {s.sessions.total === 0 ? (
        <EmptyState title="No sessions yet" message="Charts appear once your teams have run a session." level={2}>
          <LinkButton href={paths.teams()} variant="primary">
            Go to your teams
          </LinkButton>
        </EmptyState>
      ) : (
        <div class="chart-panels">
          <section class="panel chart-panel-wide" aria-label="Sessions per day">
            <SessionsPerDayChart days={props.sessions_per_day} />
          </section>
          <section class="panel" aria-label="Success rate per role">
            <RoleSuccessChart roles={props.roles} />
          </section>
          <section class="panel" aria-label="Mean duration per role">
            <RoleDurationChart roles={props.roles} />
          </section>
          <section class="panel" aria-label="Decisions by category">
            <DecisionsByCategoryChart categories={props.decision_categories} />
          </section>
          <section class="panel" aria-label="Confidence distribution">
            <ConfidenceChart bins={props.confidence_bins} />
          </section>
          <section class="panel" aria-label="Calibration">
            <CalibrationChart roles={props.calibration ?? []} />
          </section>
          {props.cost ? (
            <section class="panel chart-panel-wide" aria-label="Cost per day">
              <CostPerDayChart teams={props.cost.teams} days={props.cost.days} />
              <TeamCostTable teams={props.cost.teams} />
            </section>
          ) : (
            ''
          )}
          <section class="panel chart-panel-wide" aria-labelledby="role-cost-title">
            <RoleCostTable roles={props.roles} />
          </section>
        </div>
      )}
    </Layout>
  )
}

/** Tokens and cost per role over the chosen teams. */
function RoleCostTable(props: { roles: RoleStatsView[] }): JSX.Element {
  return (
    <>
      <h2 id="role-cost-title" class="section-title">
        Tokens and cost per role
      </h2>
      <table class="doc-table">
        <thead>
          <tr>
            <th scope="col">Role</th>
            <th scope="col" class="num">
              Tasks
            </th>
            <TokenCostHeads />
          </tr>
        </thead>
        <tbody>
          {props.roles.map((r) => (
            <tr>
              <th scope="row" safe>
                {roleLabel(r.agent_role)}
              </th>
              <td data-label="Tasks" class="num" safe>
                {formatCount(r.tasks)}
              </td>
              <TokenCostCells input_tokens={r.input_tokens ?? 0} output_tokens={r.output_tokens ?? 0} cost_usd={r.cost_usd ?? 0} />
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

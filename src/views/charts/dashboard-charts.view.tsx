import { formatCount, formatPercent, formatPreciseDuration, roleLabel, roleOrder } from '../format.ts'
import type { CountView, RoleStatsView, SessionsPerDayView } from '../view-types.ts'
import { HorizontalBarChart } from './horizontal-bar-chart.view.tsx'
import { StackedBarChart } from './stacked-bar-chart.view.tsx'

const OUTCOMES = [
  { key: 'completed', label: 'Completed', class: 'bar-completed' },
  { key: 'failed', label: 'Failed', class: 'bar-failed' },
  { key: 'cancelled', label: 'Cancelled', class: 'bar-cancelled' },
  { key: 'active', label: 'Active', class: 'bar-active' },
] as const

/** Sessions started per day, stacked by outcome. */
export function SessionsPerDayChart(props: { days: SessionsPerDayView[] }): JSX.Element {
  const totals = OUTCOMES.map((o) => props.days.reduce((a, d) => a + d[o.key], 0))
  const all = totals.reduce((a, b) => a + b, 0)
  const summary =
    `${formatCount(all)} sessions over ${props.days.length} days: ` +
    OUTCOMES.map((o, i) => `${formatCount(totals[i] ?? 0)} ${o.key}`).join(', ') +
    '.'
  return (
    <StackedBarChart
      id="chart-sessions-per-day"
      title="Sessions per day"
      summary={summary}
      label_header="Day"
      series={OUTCOMES.map((o) => ({ label: o.label, class: o.class }))}
      bars={props.days.map((d) => ({ label: d.day.slice(5), values: OUTCOMES.map((o) => d[o.key]) }))}
    />
  )
}

function sortedRoles(roles: RoleStatsView[]): RoleStatsView[] {
  return [...roles].sort((a, b) => roleOrder(a.agent_role) - roleOrder(b.agent_role))
}

/** Share of finished tasks that completed, per role. */
export function RoleSuccessChart(props: { roles: RoleStatsView[] }): JSX.Element {
  const roles = sortedRoles(props.roles)
  const rated = roles.filter((r) => r.success_rate !== null)
  const worst = rated.reduce<RoleStatsView | null>((w, r) => (w && (w.success_rate ?? 1) <= (r.success_rate ?? 1) ? w : r), null)
  const summary = rated.length
    ? `Success rate of ${rated.length} roles; lowest: ${roleLabel(worst?.agent_role ?? '')} at ${formatPercent(worst?.success_rate)}.`
    : 'No finished tasks yet.'
  return (
    <HorizontalBarChart
      id="chart-role-success"
      title="Success rate per role"
      summary={summary}
      max={1}
      bar_class="bar-completed"
      label_header="Role"
      value_header="Success rate"
      items={roles.map((r) => ({
        label: roleLabel(r.agent_role),
        value: r.success_rate,
        value_label: `${formatPercent(r.success_rate)} of ${formatCount(r.completed + r.failed)}`,
      }))}
    />
  )
}

/** Mean task duration per role. */
export function RoleDurationChart(props: { roles: RoleStatsView[] }): JSX.Element {
  const roles = sortedRoles(props.roles)
  const timed = roles.filter((r) => r.mean_duration_seconds !== null)
  const slowest = timed.reduce<RoleStatsView | null>(
    (w, r) => (w && (w.mean_duration_seconds ?? 0) >= (r.mean_duration_seconds ?? 0) ? w : r),
    null,
  )
  const summary = timed.length
    ? `Mean task duration of ${timed.length} roles; slowest: ${roleLabel(slowest?.agent_role ?? '')} at ${formatPreciseDuration(slowest?.mean_duration_seconds)}.`
    : 'No finished tasks yet.'
  return (
    <HorizontalBarChart
      id="chart-role-duration"
      title="Mean duration per role"
      summary={summary}
      bar_class="bar-primary"
      label_header="Role"
      value_header="Mean duration"
      items={roles.map((r) => ({
        label: roleLabel(r.agent_role),
        value: r.mean_duration_seconds,
        value_label: formatPreciseDuration(r.mean_duration_seconds),
      }))}
    />
  )
}

/** Decisions per category, largest first. */
export function DecisionsByCategoryChart(props: { categories: CountView[] }): JSX.Element {
  const items = [...props.categories].sort((a, b) => b.count - a.count)
  const total = items.reduce((a, c) => a + c.count, 0)
  const summary = items.length
    ? `${formatCount(total)} decisions in ${items.length} categories; most: ${items[0]?.label ?? ''} (${formatCount(items[0]?.count ?? 0)}).`
    : 'No decisions yet.'
  return (
    <HorizontalBarChart
      id="chart-decision-categories"
      title="Decisions by category"
      summary={summary}
      bar_class="bar-accent"
      label_header="Category"
      value_header="Decisions"
      items={items.map((c) => ({ label: c.label, value: c.count, value_label: formatCount(c.count) }))}
    />
  )
}

/** How confident agents were: counts per confidence bin, in the given bin order. */
export function ConfidenceChart(props: { bins: CountView[] }): JSX.Element {
  const total = props.bins.reduce((a, c) => a + c.count, 0)
  const summary = total
    ? `${formatCount(total)} results: ` + props.bins.map((b) => `${formatCount(b.count)} at ${b.label}`).join(', ') + '.'
    : 'No results yet.'
  return (
    <StackedBarChart
      id="chart-confidence"
      title="Confidence distribution"
      summary={summary}
      label_header="Confidence"
      series={[{ label: 'Results', class: 'bar-primary' }]}
      bars={props.bins.map((b) => ({ label: b.label, values: [b.count] }))}
    />
  )
}

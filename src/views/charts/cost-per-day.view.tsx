import { formatUsd } from '../format.ts'
import { ChartCaption } from './chart-frame.view.tsx'
import { StackedBarChart } from './stacked-bar-chart.view.tsx'

/** Colours of the teams' series (classes the CSS build compiles); the fifth team on shares the last. */
const TEAM_CLASSES = ['bar-completed', 'bar-active', 'bar-failed', 'bar-cancelled']

/** Props of {@link CostPerDayChart}. */
export interface CostPerDayChartProps {
  teams: Array<{ team_id: number; name: string }>
  days: Array<{ day: string; by_team: number[] }>
}

/** What the teams' tasks cost per day, stacked by team, with a legend and the hidden data table (USD). */
export function CostPerDayChart(props: CostPerDayChartProps): JSX.Element {
  // Five or more teams: the fourth series is "Other teams".
  const many = props.teams.length > TEAM_CLASSES.length
  const names = many ? [...props.teams.slice(0, 3).map((t) => t.name), 'Other teams'] : props.teams.map((t) => t.name)
  const fold = (values: number[]): number[] => (many ? [...values.slice(0, 3), values.slice(3).reduce((a, b) => a + b, 0)] : values)
  const bars = props.days.map((d) => ({ label: d.day.slice(5), values: fold(d.by_team) }))
  const total = bars.reduce((a, b) => a + b.values.reduce((x, y) => x + y, 0), 0)
  const summary = `${formatUsd(total)} over ${props.days.length} days${names.length > 1 ? `, across ${props.teams.length} teams` : ''}.`
  const id = 'chart-cost-per-day'
  const title = 'Cost per day'
  // Nothing was spent: a flat chart of zeros says less than a sentence (the simulated model is free).
  if (total === 0) {
    return (
      <figure class="chart" aria-labelledby={`${id}-caption`}>
        <ChartCaption id={id} caption_id={`${id}-caption`} title={title} summary={`No model cost in the last ${props.days.length} days.`} />
      </figure>
    )
  }
  return (
    <StackedBarChart
      id={id}
      title={title}
      summary={summary}
      series={names.map((label, i) => ({ label, class: TEAM_CLASSES[i] ?? 'bar-cancelled' }))}
      bars={bars}
      label_header="Day"
      format={formatUsd}
    />
  )
}

/** Each team's cost: in all, this month, and against its monthly budget. */
export function TeamCostTable(props: { teams: Array<{ team_id: number; name: string; cost_usd: number; month_cost_usd: number; monthly_budget_usd: number | null }> }): JSX.Element {
  return (
    <>
      <h2 id="team-cost-title" class="section-title">
        Cost per team
      </h2>
      <table class="doc-table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col" class="num">
              Cost
            </th>
            <th scope="col" class="num">
              This month
            </th>
            <th scope="col" class="num">
              Monthly budget
            </th>
          </tr>
        </thead>
        <tbody>
          {props.teams.map((t) => (
            <tr>
              <th scope="row" safe>
                {t.name}
              </th>
              <td data-label="Cost" class="num" safe>
                {formatUsd(t.cost_usd)}
              </td>
              <td data-label="This month" class="num" safe>
                {formatUsd(t.month_cost_usd)}
              </td>
              <td data-label="Monthly budget" class="num" safe>
                {t.monthly_budget_usd === null ? 'None' : formatUsd(t.monthly_budget_usd)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

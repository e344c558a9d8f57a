import { formatUsd } from '../format.ts'
import { stackedBarLayout } from './bar-geometry.ts'
import { ChartCaption, ChartSvg } from './chart-frame.view.tsx'
import { ChartDataTable } from './chart-data-table.view.tsx'

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
  const g = stackedBarLayout(bars)
  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <ChartCaption id={id} title={title} summary={summary} />
      <ChartSvg id={id} title={title} summary={summary} width={g.width} height={g.height}>
        {g.y_ticks.map((t) => (
          <g>
            <line x1={g.plot.x0} x2={g.plot.x1} y1={t.y} y2={t.y} class="chart-grid" />
            <text x={g.plot.x0 - 6} y={t.y + 4} text-anchor="end" class="chart-axis-label" safe>
              {formatUsd(t.value)}
            </text>
          </g>
        ))}
        {g.bars.map((b) => (
          <g>
            {b.segments.map((s) => (
              <rect x={b.x} y={s.y} width={b.width} height={s.height} class={TEAM_CLASSES[s.series] ?? 'bar-cancelled'} />
            ))}
            {b.show_label ? (
              <text x={b.x + b.width / 2} y={g.plot.y1 + 16} text-anchor="middle" class="chart-axis-label" safe>
                {b.label}
              </text>
            ) : (
              ''
            )}
          </g>
        ))}
        <line x1={g.plot.x0} x2={g.plot.x1} y1={g.plot.y1} y2={g.plot.y1} class="chart-axis" />
      </ChartSvg>
      {names.length > 1 ? (
        <ul class="chart-legend" aria-hidden="true">
          {names.map((name, i) => (
            <li>
              <span class={['legend-swatch', TEAM_CLASSES[i] ?? 'bar-cancelled']}></span>
              <span safe>{name}</span>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <ChartDataTable caption={title} headers={['Day', ...names]} rows={bars.map((b) => ({ label: b.label, cells: b.values.map((v) => formatUsd(v)) }))} />
    </figure>
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

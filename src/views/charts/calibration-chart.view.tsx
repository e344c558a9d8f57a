import { roleLabel } from '../format.ts'
import { ChartCaption } from './chart-frame.view.tsx'
import { HorizontalBarChart } from './horizontal-bar-chart.view.tsx'

/** A role's calibration as the chart shows it (API.md `GET /api/dashboard/teams/:id/calibration`). */
export interface CalibrationView {
  agent_role: string
  reviewed: number
  approved: number
  bins: Array<{ from: number; to: number; reviewed: number; approved: number }>
  brier_score: number | null
}

/**
 * Calibration: per role and confidence bin, the share of reviewed outputs approved on their first
 * review (a calibrated role's bars climb with its confidence), with each role's Brier score.
 */
export function CalibrationChart(props: { roles: CalibrationView[] }): JSX.Element {
  const items = props.roles.flatMap((r) =>
    r.bins
      .filter((b) => b.reviewed > 0)
      .map((b) => ({
        label: `${roleLabel(r.agent_role)} ${b.from}–${b.to}`,
        value: b.approved / b.reviewed,
        value_label: `${b.approved} of ${b.reviewed} approved`,
      })),
  )
  const summary = props.roles.length
    ? props.roles
        .map((r) => `${roleLabel(r.agent_role)}: ${r.approved} of ${r.reviewed} approved on first review, Brier score ${r.brier_score ?? '—'}`)
        .join('; ') + '.'
    : 'No reviewed outputs yet.'
  // No verdict yet: a sentence, not an empty plot.
  if (items.length === 0) {
    return (
      <figure class="chart" aria-labelledby="chart-calibration-caption">
        <ChartCaption id="chart-calibration" caption_id="chart-calibration-caption" title="Calibration: confidence against approval" summary={summary} />
      </figure>
    )
  }
  return (
    <HorizontalBarChart
      id="chart-calibration"
      title="Calibration: confidence against approval"
      summary={summary}
      items={items}
      max={1}
      bar_class="bar-primary"
      label_header="Role and confidence"
      value_header="Approved on first review"
    />
  )
}

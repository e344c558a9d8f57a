import { ChartCaption, ChartSvg } from './chart-frame.view.tsx'
import { ChartDataTable } from './chart-data-table.view.tsx'
import { formatOffset, humanize } from '../format.ts'
import { type GanttInput, ganttLayout } from './gantt-geometry.ts'

/** Props of {@link GanttChart}. */
export interface GanttChartProps extends GanttInput {
  /** Unique on the page: prefixes the ids of the title, description and table. */
  id: string
  title?: string
  /** Hide the caption's title visually when the surrounding section already has a heading. */
  hide_title?: boolean
}

/**
 * The session timeline as an SVG Gantt chart: one row per agent in plan-stage bands, bars from
 * start to end coloured by status, failures crossed, retries marked; with a title, a summary and
 * a visually hidden table of the same numbers for screen readers.
 */
export function GanttChart(props: GanttChartProps): JSX.Element {
  const g = ganttLayout(props)
  const title = props.title ?? 'Session timeline'
  const counts = new Map<string, number>()
  for (const r of g.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1)
  const summary =
    g.rows.length === 0
      ? 'No agents yet.'
      : `${g.rows.length} agents in ${g.stages.length} stages over ${formatOffset(g.total_seconds)}: ` +
        [...counts].map(([s, n]) => `${n} ${s}`).join(', ') +
        '.'
  const mid = g.bar_height / 2
  return (
    <figure class="chart gantt" aria-labelledby={`${props.id}-title`}>
      <ChartCaption id={props.id} caption_id={`${props.id}-caption`} title={title} summary={summary} hide_title={props.hide_title ?? false} />
      <div class="chart-scroll">
        <ChartSvg
          id={props.id}
          title={title}
          summary={summary}
          width={g.width}
          height={g.height}
          class="chart-svg gantt-svg"
          preserve="xMinYMin meet"
        >
          {g.stages.map((s) => (
            <g class="gantt-stage">
              <rect
                x="0"
                y={s.y}
                width={g.width}
                height={s.height}
                class={s.index % 2 === 1 ? 'gantt-band-odd' : 'gantt-band-even'}
              />
              <text x="8" y={s.y + s.height / 2 + 4} class="gantt-stage-label" safe>
                {`S${s.index}`}
              </text>
            </g>
          ))}
          {g.ticks.map((t) => (
            <g class="chart-tick">
              <line x1={t.x} x2={t.x} y1={g.plot.y0 - 4} y2={g.plot.y1} class="chart-grid" />
              <text x={t.x} y={g.plot.y0 - 8} text-anchor="middle" class="chart-axis-label" safe>
                {t.label}
              </text>
            </g>
          ))}
          {g.rows.map((r) => {
            const barY = r.y + (g.row_height - g.bar_height) / 2
            return (
              <g class="gantt-row" data-task-id={r.task_id}>
                <text x={g.plot.x0 - 8} y={barY + mid + 4} text-anchor="end" class="chart-label" safe>
                  {r.label}
                </text>
                {r.bar ? (
                  <rect
                    x={r.bar.x}
                    y={barY}
                    width={r.bar.width}
                    height={g.bar_height}
                    rx="3"
                    class={['gantt-bar', `gantt-bar-${r.status}`]}
                  />
                ) : (
                  <text x={g.plot.x0 + 4} y={barY + mid + 4} class="chart-muted" safe>
                    {humanize(r.status)}
                  </text>
                )}
                {r.bar && r.status === 'failed' ? (
                  <text x={r.bar.x + r.bar.width + 4} y={barY + mid + 4} class="gantt-fail-mark">
                    ✕
                  </text>
                ) : (
                  ''
                )}
                {r.retry_marks.map((mx) => (
                  <line x1={mx} x2={mx} y1={barY - 3} y2={barY + g.bar_height + 3} class="gantt-retry-mark" />
                ))}
                {r.retry_count > 0 && r.bar ? (
                  <text
                    x={r.bar.x + r.bar.width + (r.status === 'failed' ? 18 : 4)}
                    y={barY + mid + 4}
                    class="gantt-retry-label"
                    safe
                  >
                    {`↻${r.retry_count}`}
                  </text>
                ) : (
                  ''
                )}
              </g>
            )
          })}
          {g.cursor_x !== null ? (
            <line x1={g.cursor_x} x2={g.cursor_x} y1={g.plot.y0 - 4} y2={g.plot.y1} class="gantt-cursor" />
          ) : (
            ''
          )}
        </ChartSvg>
      </div>
      <ul class="chart-legend" aria-hidden="true">
        {['completed', 'running', 'failed', 'cancelled'].map((s) => (
          <li>
            <span class={['legend-swatch', `gantt-bar-${s}`]}></span>
            <span safe>{humanize(s)}</span>
          </li>
        ))}
        <li>
          <span class="legend-swatch legend-retry"></span>Retry
        </li>
      </ul>
      <ChartDataTable
        caption={`${title}: start and end as offsets from the session start`}
        headers={['Agent', 'Stage', 'Status', 'Start', 'End', 'Retries']}
        rows={g.rows.map((r) => ({
          label: r.label,
          cells: [
            String(r.stage),
            humanize(r.status),
            r.start_offset === null ? '—' : formatOffset(r.start_offset),
            r.end_offset === null ? '—' : formatOffset(r.end_offset),
            String(r.retry_count),
          ],
        }))}
      />
    </figure>
  )
}

import { ChartCaption, ChartSvg } from './chart-frame.view.tsx'
import { ChartDataTable } from './chart-data-table.view.tsx'
import { formatCount } from '../format.ts'
import { type StackedBarInput, stackedBarLayout } from './bar-geometry.ts'

/** A data series of a stacked chart: its name and the CSS class that colours it. */
export interface ChartSeries {
  label: string
  class: string
}

/** Props of {@link StackedBarChart}. */
export interface StackedBarChartProps {
  id: string
  title: string
  /** A sentence summarising the numbers (read as the SVG's description). */
  summary: string
  series: ChartSeries[]
  bars: StackedBarInput[]
  /** Column header of the bar labels in the hidden table. */
  label_header: string
  /** How an axis tick and a table cell show a value; counts by default. */
  format?: (value: number) => string
}

/** A vertical stacked bar chart (one series for a plain column chart) with legend and hidden data table. */
export function StackedBarChart(props: StackedBarChartProps): JSX.Element {
  const g = stackedBarLayout(props.bars)
  const format = props.format ?? formatCount
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <ChartCaption id={props.id} title={props.title} summary={props.summary} />
      <ChartSvg id={props.id} title={props.title} summary={props.summary} width={g.width} height={g.height}>
        {g.y_ticks.map((t) => (
          <g>
            <line x1={g.plot.x0} x2={g.plot.x1} y1={t.y} y2={t.y} class="chart-grid" />
            <text x={g.plot.x0 - 6} y={t.y + 4} text-anchor="end" class="chart-axis-label" safe>
              {format(t.value)}
            </text>
          </g>
        ))}
        {g.bars.map((b) => (
          <g>
            {b.segments.map((s) => (
              <rect x={b.x} y={s.y} width={b.width} height={s.height} class={props.series[s.series]?.class ?? ''} />
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
      {props.series.length > 1 ? (
        <ul class="chart-legend" aria-hidden="true">
          {props.series.map((s) => (
            <li>
              <span class={['legend-swatch', s.class]}></span>
              <span safe>{s.label}</span>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <ChartDataTable
        caption={props.title}
        headers={[props.label_header, ...props.series.map((s) => s.label)]}
        rows={props.bars.map((b) => ({ label: b.label, cells: props.series.map((_, i) => format(b.values[i] ?? 0)) }))}
      />
    </figure>
  )
}

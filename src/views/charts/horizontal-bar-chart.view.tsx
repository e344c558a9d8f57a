import { ChartCaption, ChartSvg } from './chart-frame.view.tsx'
import { ChartDataTable } from './chart-data-table.view.tsx'
import { horizontalBarLayout } from './bar-geometry.ts'

/** One row of {@link HorizontalBarChart}: the bar's value and the text printed beside it. */
export interface HorizontalBarItem {
  label: string
  value: number | null
  value_label: string
}

/** Props of {@link HorizontalBarChart}. */
export interface HorizontalBarChartProps {
  id: string
  title: string
  summary: string
  items: HorizontalBarItem[]
  /** Fixed scale maximum (1 for ratios). */
  max?: number
  /** CSS class colouring the bars. */
  bar_class?: string
  label_header: string
  value_header: string
}

/** Horizontal bars with their values printed at the end, plus a hidden data table. */
export function HorizontalBarChart(props: HorizontalBarChartProps): JSX.Element {
  const g = horizontalBarLayout(props.items, props.max === undefined ? {} : { max: props.max })
  return (
    <figure class="chart" aria-labelledby={`${props.id}-title`}>
      <ChartCaption id={props.id} title={props.title} summary={props.summary} />
      <ChartSvg id={props.id} title={props.title} summary={props.summary} width={g.width} height={g.height}>
        <line x1={g.plot.x0} x2={g.plot.x0} y1={g.plot.y0} y2={g.plot.y1} class="chart-axis" />
        {g.rows.map((r, i) => (
          <g>
            <text x={g.plot.x0 - 8} y={r.y + g.bar_height / 2 + 4} text-anchor="end" class="chart-label" safe>
              {r.label}
            </text>
            <rect
              x={g.plot.x0}
              y={r.y}
              width={r.width}
              height={g.bar_height}
              rx="2"
              class={props.bar_class ?? 'bar-primary'}
            />
            <text x={g.plot.x0 + r.width + 6} y={r.y + g.bar_height / 2 + 4} class="chart-value" safe>
              {props.items[i]?.value_label ?? ''}
            </text>
          </g>
        ))}
      </ChartSvg>
      <ChartDataTable
        caption={props.title}
        headers={[props.label_header, props.value_header]}
        rows={props.items.map((item) => ({ label: item.label, cells: [item.value_label] }))}
      />
    </figure>
  )
}

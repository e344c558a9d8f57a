import type { PropsWithChildren } from '@kitajs/html'

/** What every chart names: its id (for ARIA references), title and one-sentence summary. */
export interface ChartText {
  id: string
  title: string
  summary: string
}

/** A chart's visible caption: title (or hidden, for a chart under its own heading) and summary. */
export function ChartCaption(props: ChartText & { hide_title?: boolean; caption_id?: string }): JSX.Element {
  return (
    <figcaption id={props.caption_id} class="chart-caption">
      <span class={props.hide_title ? 'sr-only' : 'chart-title'} safe>
        {props.title}
      </span>
      <span class="chart-summary" safe>
        {props.summary}
      </span>
    </figcaption>
  )
}

/** A chart's SVG: an image labelled by its own `<title>` and `<desc>`, with the drawing as children. */
export function ChartSvg(
  props: PropsWithChildren<ChartText & { width: number; height: number; class?: string; preserve?: string }>,
): JSX.Element {
  return (
    <svg
      viewBox={`0 0 ${props.width} ${props.height}`}
      class={props.class ?? 'chart-svg'}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      preserveAspectRatio={props.preserve}
    >
      <title id={`${props.id}-title`} safe>
        {props.title}
      </title>
      <desc id={`${props.id}-desc`} safe>
        {props.summary}
      </desc>
      {props.children}
    </svg>
  )
}

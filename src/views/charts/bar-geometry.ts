import { linearScale, niceTicks, px } from './scale.ts'

/** One bar of a stacked chart: a label and one value per series. */
export interface StackedBarInput {
  label: string
  values: number[]
}

/** A laid-out stacked bar. */
export interface StackedBar {
  label: string
  x: number
  width: number
  total: number
  /** Bottom-up; zero-height segments are left out. */
  segments: { series: number; y: number; height: number; value: number }[]
  /** Whether to print this bar's label (thinned so labels never collide). */
  show_label: boolean
}

/** Geometry of a vertical stacked bar chart. */
export interface StackedBarLayout {
  width: number
  height: number
  plot: { x0: number; x1: number; y0: number; y1: number }
  bars: StackedBar[]
  y_ticks: { y: number; value: number }[]
  max: number
}

/** Options of {@link stackedBarLayout}. */
export interface StackedBarOptions {
  width?: number
  height?: number
}

/**
 * Vertical stacked bars over a 0-based nice value axis: equal bands with a gap, segments stacked
 * bottom-up in series order, and every n-th label shown so they fit.
 */
export function stackedBarLayout(bars: StackedBarInput[], options: StackedBarOptions = {}): StackedBarLayout {
  // A narrow viewBox keeps 11-unit text legible when a 360 px phone scales the chart down.
  const width = options.width ?? 480
  const height = options.height ?? 220
  const plot = { x0: 36, x1: width - 8, y0: 10, y1: height - 26 }
  const totals = bars.map((b) => b.values.reduce((a, v) => a + Math.max(0, v), 0))
  // Bars are counts: never fewer than one unit per tick (no "0, 0.5, 1" labelled "0, 1, 1").
  const top = Math.max(0, ...totals)
  const { max, ticks } = niceTicks(top, Math.min(4, Math.max(1, Math.ceil(top))))
  const y = linearScale(0, max, plot.y1, plot.y0)
  const band = bars.length ? (plot.x1 - plot.x0) / bars.length : 0
  const barWidth = band * 0.7
  // About 42 viewBox units per label keeps `MM-DD` labels apart.
  const every = Math.max(1, Math.ceil(42 / Math.max(band, 1)))
  return {
    width,
    height,
    plot,
    max,
    y_ticks: ticks.map((v) => ({ y: px(y(v)), value: v })),
    bars: bars.map((b, i) => {
      let acc = 0
      const segments: StackedBar['segments'] = []
      b.values.forEach((value, series) => {
        const v = Math.max(0, value)
        if (v === 0) return
        const top = y(acc + v)
        segments.push({ series, y: px(top), height: px(y(acc) - top), value: v })
        acc += v
      })
      return {
        label: b.label,
        x: px(plot.x0 + i * band + (band - barWidth) / 2),
        width: px(barWidth),
        total: totals[i] ?? 0,
        segments,
        show_label: i % every === 0,
      }
    }),
  }
}

/** One row of a horizontal bar chart. */
export interface HorizontalBarInput {
  label: string
  value: number | null
}

/** Geometry of a horizontal bar chart. */
export interface HorizontalBarLayout {
  width: number
  height: number
  plot: { x0: number; x1: number; y0: number; y1: number }
  rows: { label: string; value: number | null; y: number; width: number }[]
  bar_height: number
  max: number
}

/** Options of {@link horizontalBarLayout}. */
export interface HorizontalBarOptions {
  /** Fixed maximum (1 for ratios); otherwise a nice value above the largest. */
  max?: number
  width?: number
  label_width?: number
}

const H_ROW = 28
const H_BAR = 16

/** Horizontal bars from a shared zero, one row per item; a null value gets no bar. */
export function horizontalBarLayout(items: HorizontalBarInput[], options: HorizontalBarOptions = {}): HorizontalBarLayout {
  const width = options.width ?? 420
  const labelWidth = options.label_width ?? 150
  // Room on the right for the printed value ("100% of 23").
  const plot = { x0: labelWidth, x1: width - 72, y0: 4, y1: 4 + Math.max(1, items.length) * H_ROW }
  const max = options.max ?? niceTicks(Math.max(0, ...items.map((i) => i.value ?? 0)), 4).max
  const x = linearScale(0, max, 0, plot.x1 - plot.x0)
  return {
    width,
    height: plot.y1 + 4,
    plot,
    max,
    bar_height: H_BAR,
    rows: items.map((item, i) => ({
      label: item.label,
      value: item.value,
      y: plot.y0 + i * H_ROW + (H_ROW - H_BAR) / 2,
      width: item.value === null ? 0 : px(Math.max(0, Math.min(x(item.value), plot.x1 - plot.x0))),
    })),
  }
}

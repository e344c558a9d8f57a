/** Scales and tick steps shared by the SVG charts. Pure arithmetic, no DOM. */

/** A function mapping `[d0, d1]` linearly onto `[r0, r1]`; a zero-width domain maps everything to `r0`. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0
  if (span === 0) return () => r0
  return (v) => r0 + ((v - d0) / span) * (r1 - r0)
}

/** The smallest "nice" step (1, 2 or 5 × 10^k) that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power
  return 10 * power
}

/** Value-axis ticks from 0: a nice maximum ≥ `max` and evenly spaced tick values (at least [0, 1]). */
export function niceTicks(max: number, count = 5): { max: number; ticks: number[] } {
  const safeMax = max > 0 && Number.isFinite(max) ? max : 1
  const step = niceStep(safeMax / count)
  const top = Math.ceil(safeMax / step) * step
  const ticks: number[] = []
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e9) / 1e9)
  return { max: top, ticks }
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400]

/** Ticks for a time axis of `totalSeconds`: steps of whole seconds, minutes or hours, about `count` of them. */
export function timeTicks(totalSeconds: number, count = 6): number[] {
  const total = totalSeconds > 0 && Number.isFinite(totalSeconds) ? totalSeconds : 1
  const step = TIME_STEPS.find((s) => total / s <= count) ?? Math.ceil(total / count / 86400) * 86400
  const ticks: number[] = []
  for (let v = 0; v <= total + 1e-9; v += step) ticks.push(v)
  return ticks
}

/** Rounds a coordinate to 0.1 px so the SVG stays short and output is stable across platforms. */
export function px(v: number): number {
  return Math.round(v * 10) / 10
}

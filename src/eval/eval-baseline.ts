import { z } from 'zod'
import type { EvalFigures } from './eval-figures.ts'

/** How far a figure may move the wrong way before it counts as a regression. */
export interface Tolerance {
  /** Fraction of the baseline's value. */
  relative: number
  /** Absolute slack, for figures near 0. */
  absolute: number
  /** Figures never judged (printed when they change): latency is not deterministic. */
  ignored: string[]
}

/** What a baseline file holds. */
export interface Baseline {
  provider: string
  tolerance: Tolerance
  /** EvalFigures without the figures the tolerance leaves out. */
  figures: unknown
}

/** Latency is left out (neither kept nor compared); everything else may move 2% (or 0.0001 near zero) the wrong way. */
export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.02, absolute: 0.0001, ignored: ['latency_p50_ms', 'latency_p99_ms'] }

export const BaselineSchema = z.object({
  provider: z.string(),
  tolerance: z
    .object({ relative: z.number().min(0), absolute: z.number().min(0), ignored: z.array(z.string()) })
    .default(DEFAULT_TOLERANCE),
  figures: z.record(z.string(), z.unknown()),
})

/** One figure that differs from the baseline. */
export interface FigureDifference {
  /** `suite.input_tokens`, `roles.backend_developer.repair_rate`, `sessions.failed`. */
  path: string
  baseline: number | null
  current: number | null
  /** Moved the wrong way by more than the tolerance. */
  regression: boolean
  /** Not judged (counts of the suite itself, such as its number of tasks). */
  ignored: boolean
}

const HIGHER_IS_WORSE = new Set([
  'failed',
  'retries',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'repair_rate',
  'latency_p50_ms',
  'latency_p99_ms',
  'other',
])
const LOWER_IS_WORSE = new Set([
  'completed',
  'first_try_valid_rate',
  'decisions_per_agent',
  'review_free_rate',
  'consistency_score',
  'expectations_met_rate',
])

function flatten(value: unknown, prefix: string, out: Map<string, number | null>): void {
  if (value === null || typeof value === 'number') {
    out.set(prefix, value)
    return
  }
  if (typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
}

function isRegression(name: string, base: number | null, cur: number | null, tolerance: Tolerance): boolean {
  if (HIGHER_IS_WORSE.has(name)) {
    if (base === null || cur === null) return false
    return cur - base > Math.max(tolerance.absolute, tolerance.relative * Math.abs(base))
  }
  if (LOWER_IS_WORSE.has(name)) {
    if (base === null || cur === null) return base !== null
    return base - cur > Math.max(tolerance.absolute, tolerance.relative * Math.abs(base))
  }
  return false
}

/** The figures as a baseline keeps them: without the ones the tolerance leaves out (latency is not deterministic). */
export function baselineFigures(figures: EvalFigures, tolerance: Tolerance): unknown {
  const strip = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !tolerance.ignored.includes(k)).map(([k, v]) => [k, strip(v)]))
  }
  return strip(figures)
}

/** Every figure of `current` that differs from `baseline` (missing ones included), each judged against the tolerance. */
export function compareFigures(baseline: Baseline, current: EvalFigures): FigureDifference[] {
  const before = new Map<string, number | null>()
  const after = new Map<string, number | null>()
  flatten(baseline.figures, '', before)
  flatten(current, '', after)
  const differences: FigureDifference[] = []
  for (const path of [...new Set([...before.keys(), ...after.keys()])]) {
    const base = before.has(path) ? (before.get(path) as number | null) : null
    const cur = after.has(path) ? (after.get(path) as number | null) : null
    if (base === cur && before.has(path) === after.has(path)) continue
    const name = path.split('.').at(-1) as string
    // Figures the tolerance leaves out (latency) are neither judged nor kept in a baseline.
    if (baseline.tolerance.ignored.includes(name)) continue
    const ignored = !HIGHER_IS_WORSE.has(name) && !LOWER_IS_WORSE.has(name)
    // A role (or figure) the baseline had and this run lacks is a regression in itself.
    const vanished = before.has(path) && !after.has(path)
    differences.push({ path, baseline: base, current: cur, ignored: ignored && !vanished, regression: vanished || (!ignored && isRegression(name, base, cur, baseline.tolerance)) })
  }
  return differences
}

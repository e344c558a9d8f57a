import type { FigureDifference } from './eval-baseline.ts'
import type { EvalFigures, GroupFigures } from './eval-figures.ts'

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`
}

function num(value: number | null, digits = 0): string {
  return value === null ? 'n/a' : value.toFixed(digits)
}

function row(name: string, g: GroupFigures): string[] {
  return [
    name,
    `${g.completed}/${g.tasks}`,
    pct(g.first_try_valid_rate),
    pct(g.repair_rate),
    String(g.retries),
    String(g.input_tokens),
    String(g.output_tokens),
    `$${g.cost_usd.toFixed(4)}`,
    num(g.latency_p50_ms),
    num(g.latency_p99_ms),
    num(g.decisions_per_agent, 2),
    pct(g.review_free_rate),
    num(g.consistency_score, 1),
  ]
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)))
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd())
}

/** The figures as text: one line per role and one for the suite; missing figures print "n/a". */
export function formatFigures(figures: EvalFigures): string[] {
  const header = ['ROLE', 'DONE', 'FIRST-TRY', 'REPAIR', 'RETRIES', 'IN-TOK', 'OUT-TOK', 'COST', 'P50-MS', 'P99-MS', 'DEC/AGENT', 'REVIEW-FREE', 'CONSISTENCY']
  const rows = [header, ...Object.entries(figures.roles).map(([role, g]) => row(role, g)), row('suite', figures.suite)]
  const s = figures.sessions
  return [
    `${figures.briefs} brief(s): ${s.completed} completed, ${s.failed} failed${s.other ? `, ${s.other} other` : ''}; expectations met ${pct(figures.expectations_met_rate)}`,
    ...table(rows),
  ]
}

function value(v: number | null): string {
  return v === null ? 'n/a' : String(v)
}

/** The differences from a baseline, regressions first, one line each; a line saying none when there are none. */
export function formatDifferences(differences: FigureDifference[]): string[] {
  if (differences.length === 0) return ['baseline: no differences']
  const sorted = [...differences].sort((a, b) => Number(b.regression) - Number(a.regression) || a.path.localeCompare(b.path))
  const regressions = differences.filter((d) => d.regression).length
  return [
    `baseline: ${differences.length} figure(s) changed, ${regressions} regression(s) beyond tolerance`,
    ...sorted.map((d) => `${d.regression ? 'REGRESSION' : d.ignored ? 'changed (not judged)' : 'changed'}  ${d.path}: ${value(d.baseline)} → ${value(d.current)}`),
  ]
}

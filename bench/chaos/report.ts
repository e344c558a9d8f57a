import type { FaultRow } from './run-fault.ts'

/** The suite's table: one line per fault, then the totals. */
export function formatTable(rows: FaultRow[]): string[] {
  const head = ['fault', 'sessions', 'completed', 'lost', 'duplicated', 'stuck', 'recovery', 'took']
  const body = rows.map((r) => [
    r.fault,
    String(r.sessions),
    String(r.completed),
    String(r.lost),
    String(r.duplicated),
    String(r.stuck),
    r.recoveryMs === null ? '-' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
    `${r.seconds} s`,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(' | ')} |`
  return [line(head), `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)]
}

/** Whether every fault ended with nothing lost, duplicated or stuck. */
export function clean(rows: FaultRow[]): boolean {
  return rows.every((r) => r.lost === 0 && r.duplicated === 0 && r.stuck === 0)
}

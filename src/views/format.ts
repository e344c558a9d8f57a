/** Pure text formatting for views: no clock, no locale (output is the same on every server). */
import { AGENT_ROLES, getRole, isAgentRole } from '../agents/index.ts'

/** The display name of an agent role; unknown roles are title-cased from their id. */
export function roleLabel(role: string): string {
  return isAgentRole(role) ? getRole(role).displayName : humanize(role)
}

/** `snake_case_key` → `Snake case key`. */
export function humanize(key: string): string {
  const words = key.replace(/[_-]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Sort index of a role in the dag order; unknown roles sort last. */
export function roleOrder(role: string): number {
  const i = (AGENT_ROLES as readonly string[]).indexOf(role)
  return i === -1 ? AGENT_ROLES.length : i
}

/** Seconds as `45s`, `3m 05s`, `2h 04m`; null/undefined as an em dash. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** Seconds as a clock offset `m:ss` (or `h:mm:ss`), for chart axes and replays. */
export function formatOffset(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** An ISO timestamp as `YYYY-MM-DD HH:MM UTC`; invalid or null input gives an em dash. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parseTime(iso)
  if (d === null) return '—'
  return new Date(d).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
}

/** An ISO timestamp as `HH:MM:SS` (UTC). */
export function formatClock(iso: string | null | undefined): string {
  const d = parseTime(iso)
  return d === null ? '—' : new Date(d).toISOString().slice(11, 19)
}

/** Milliseconds since the epoch, or null when `iso` is missing or not a date. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

/** Seconds between `from` and `to` (or `now` when `to` is null); null without a start. */
export function elapsedSeconds(from: string | null, to: string | null, now: string): number | null {
  const a = parseTime(from)
  const b = parseTime(to) ?? parseTime(now)
  if (a === null || b === null) return null
  return Math.max(0, (b - a) / 1000)
}

/** An integer with thousands separators (`12,345`). */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Input and output tokens on one line: `1,200 in · 340 out`. */
export function formatTokensInOut(input: number, output: number): string {
  return `${formatCount(input)} in · ${formatCount(output)} out`
}

/** A 0..1 ratio as a whole percentage; null as an em dash. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—'
  return `${Math.round(ratio * 100)}%`
}

/** The level of a 0..1 confidence, with the thresholds the journal uses for agents' decisions (≥ 0.75 high, ≥ 0.5 medium). */
export function confidenceLevel(score: number): 'high' | 'medium' | 'low' {
  return score >= 0.75 ? 'high' : score >= 0.5 ? 'medium' : 'low'
}

/**
 * A confidence as the cards and the journal both show it: `High (85%)` from a 0..1 score, the level
 * alone (`Medium`) when only a level is known (a member's decision), or an em dash.
 */
export function formatConfidence(level: string | null | undefined, score?: number | null): string {
  const known = score !== null && score !== undefined && Number.isFinite(score)
  const name = known ? confidenceLevel(score) : level
  if (!name) return '—'
  return known ? `${humanize(name)} (${formatPercent(score)})` : humanize(name)
}

/**
 * A duration measured in (fractional) seconds, precise where whole seconds say nothing: below 10 s
 * in milliseconds (`850 ms`, `2,340 ms`), above as {@link formatDuration}.
 */
export function formatPreciseDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—'
  if (seconds < 10) return `${formatCount(Math.max(0, seconds) * 1000)} ms`
  return formatDuration(seconds)
}

/** A cost in US dollars with four decimals, or an em dash. */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—'
  return `$${usd.toFixed(4)}`
}

const PLAN_LABELS: Record<string, string> = { dag: 'Staged', parallel: 'Parallel', sequential: 'Sequential' }

/** The display name of a session plan. */
export function planLabel(plan: string): string {
  return PLAN_LABELS[plan] ?? humanize(plan)
}

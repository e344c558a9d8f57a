import { humanize } from '../format.ts'

const KNOWN_STATUSES: ReadonlySet<string> = new Set([
  'active',
  'pending',
  'running',
  'completed',
  'failed',
  'skipped',
  'cancelled',
  'awaiting_review',
  'awaiting_budget',
])

/** A session or task status as a coloured badge with a text label (colour is never the only cue). */
export function StatusBadge(props: { status: string; id?: string }): JSX.Element {
  const known = KNOWN_STATUSES.has(props.status)
  return (
    <span id={props.id} class={['badge', `badge-${known ? props.status : 'other'}`]}>
      <span class="badge-dot" aria-hidden="true"></span>
      <span safe>{humanize(props.status)}</span>
    </span>
  )
}

/** A team role (owner, member, viewer) as a neutral badge. */
export function RoleBadge(props: { role: string }): JSX.Element {
  return (
    <span class={['badge', 'badge-role']} safe>
      {humanize(props.role)}
    </span>
  )
}

/** A decision confidence (high/medium/low) as a badge. */
export function ConfidenceBadge(props: { confidence: string | null }): JSX.Element {
  if (!props.confidence) return ''
  const level = ['high', 'medium', 'low'].includes(props.confidence) ? props.confidence : 'other'
  return (
    <span class={['badge', `badge-confidence-${level}`]}>
      <span class="sr-only">Confidence: </span>
      <span safe>{humanize(props.confidence)}</span>
    </span>
  )
}

import { confidenceLevel, formatConfidence, humanize } from '../format.ts'

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

/**
 * A confidence as a badge: `High (85%)` when the 0..1 score is known (an agent's), the level alone
 * (`Medium`) when only that is (a member's decision). Cards and the journal both use it.
 */
export function ConfidenceBadge(props: { confidence: string | null; score?: number | null }): JSX.Element {
  const hasScore = props.score !== null && props.score !== undefined && Number.isFinite(props.score)
  if (!props.confidence && !hasScore) return ''
  const name = hasScore ? confidenceLevel(props.score as number) : (props.confidence as string)
  const level = ['high', 'medium', 'low'].includes(name) ? name : 'other'
  return (
    <span class={['badge', `badge-confidence-${level}`]} data-confidence={level}>
      <span class="sr-only">Confidence: </span>
      <span safe>{formatConfidence(props.confidence, props.score)}</span>
    </span>
  )
}

import { PROGRESS_GROUPS, PROGRESS_LABELS, type ProgressCounts, progressCounts, progressSentence } from './session-progress.ts'

/** Props of {@link SessionProgressBar}. */
export interface SessionProgressBarProps {
  tasks: readonly { status: string }[]
  /** The DOM id of the block (one per page: the summary's is `session-progress`). */
  id?: string
  /** A compact bar with the sentence and no legend (session lists). */
  compact?: boolean
}

/**
 * A session's agents as one bar in segments by status, like a CI run view: completed, running,
 * awaiting, failed, skipped, cancelled and pending, each with its count. The counts are text (the
 * headline and the legend), so colour is never the only cue; the bar itself is decorative. The bar
 * is an SVG whose segment widths are attributes, so it needs no inline style (the CSP forbids them)
 * and stretches to any width.
 */
export function SessionProgressBar(props: SessionProgressBarProps): JSX.Element {
  const p = progressCounts(props.tasks)
  const sentence = progressSentence(p)
  return (
    <div
      id={props.id}
      class={['session-progress', props.compact ? 'session-progress-compact' : '']}
      data-total={String(p.total)}
      data-completed={String(p.counts.completed)}
    >
      <p class="session-progress-text" safe>
        {sentence}
      </p>
      <ProgressSegments counts={p} />
      {props.compact || p.total === 0 ? (
        ''
      ) : (
        <ul class="session-progress-legend" aria-label="Agents by status">
          {PROGRESS_GROUPS.filter((g) => p.counts[g] > 0).map((g) => (
            <li data-status={g}>
              <span class={['legend-swatch', `progress-seg-${g}`]} aria-hidden="true"></span>
              <span safe>{PROGRESS_LABELS[g]}</span> <strong class="tabular-nums" safe>{String(p.counts[g])}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The bar: one rect per non-empty group, `count` units wide out of `total`, with a thin gap between. */
function ProgressSegments(props: { counts: ProgressCounts }): JSX.Element {
  const { total, counts } = props.counts
  let x = 0
  return (
    <svg class="session-progress-bar" viewBox={`0 0 ${Math.max(total, 1)} 1`} preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect x="0" y="0" width={String(Math.max(total, 1))} height="1" class="progress-track" />
      {PROGRESS_GROUPS.filter((g) => counts[g] > 0).map((g) => {
        const rect = <rect x={String(x)} y="0" width={String(counts[g])} height="1" class={['progress-seg', `progress-seg-${g}`]} data-status={g} />
        x += counts[g]
        return rect
      })}
    </svg>
  )
}

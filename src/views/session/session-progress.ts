/** A session's progress by task status, the way a CI run view counts its jobs. Pure: no clock, no I/O. */

/** The groups a progress bar shows, in the order it draws them (done work first, waiting work last). */
export const PROGRESS_GROUPS = ['completed', 'running', 'awaiting', 'failed', 'skipped', 'cancelled', 'pending'] as const
export type ProgressGroup = (typeof PROGRESS_GROUPS)[number]

/** How a group reads in the legend and the headline. */
export const PROGRESS_LABELS: Record<ProgressGroup, string> = {
  completed: 'Completed',
  running: 'Running',
  awaiting: 'Awaiting',
  failed: 'Failed',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
  pending: 'Pending',
}

/** Counts of a session's tasks per group, and their total. */
export interface ProgressCounts {
  total: number
  counts: Record<ProgressGroup, number>
}

/** The group of a task status: `awaiting_review` and `awaiting_budget` are both "awaiting"; unknown statuses count as pending. */
export function progressGroup(status: string): ProgressGroup {
  if (status === 'awaiting_review' || status === 'awaiting_budget') return 'awaiting'
  return (PROGRESS_GROUPS as readonly string[]).includes(status) ? (status as ProgressGroup) : 'pending'
}

/** Counts `tasks` by group. Only `completed` tasks count as done: a failed, skipped or cancelled one never does. */
export function progressCounts(tasks: readonly { status: string }[]): ProgressCounts {
  const counts = Object.fromEntries(PROGRESS_GROUPS.map((g) => [g, 0])) as Record<ProgressGroup, number>
  for (const t of tasks) counts[progressGroup(t.status)] += 1
  return { total: tasks.length, counts }
}

/**
 * The progress in words, completed first then every other non-empty group:
 * `2 of 7 agents completed · 1 failed · 4 skipped`. `No agents` when there are none.
 */
export function progressSentence(p: ProgressCounts): string {
  if (p.total === 0) return 'No agents'
  const head = `${p.counts.completed} of ${p.total} ${p.total === 1 ? 'agent' : 'agents'} completed`
  const rest = PROGRESS_GROUPS.filter((g) => g !== 'completed' && p.counts[g] > 0).map((g) => `${p.counts[g]} ${PROGRESS_LABELS[g].toLowerCase()}`)
  return [head, ...rest].join(' · ')
}

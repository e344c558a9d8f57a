/** A job that was running on a Worker when it was lost, as {@link blameLoss} sees it. */
export interface LostJob {
  id: string
  /** Dispatch order: later jobs have higher numbers. */
  seq: number
  /** Times the job was already a suspect of a crash it was not found to cause. */
  suspected: number
}

/** Who a lost Worker's jobs are: the job that caused the loss, jobs to run again as usual, jobs to re-run alone. */
export interface Blame<J extends LostJob> {
  /** Reported `crashed`/`hung`: counts against the job's attempts. */
  culprits: J[]
  /** Known not to have caused it: run again on the pool without losing an attempt. */
  innocent: J[]
  /** Could have caused it: each runs again alone on the isolation Worker (latest first), which finds the culprit. */
  suspects: J[]
}

/**
 * Decides who is to blame for a lost Worker. A hung Worker's culprit is the job that passed its
 * deadline; a crash with one job running (or on the isolation Worker, which runs one at a time)
 * is that job's; a crash with several running makes them all suspects: none loses an attempt
 * until running alone shows which one crashes. Pure.
 * @example blameLoss('crashed', null, false, [a, b]) // { culprits: [], innocent: [], suspects: [b, a] }
 */
export function blameLoss<J extends LostJob>(reason: 'crashed' | 'hung', hungJobId: string | null, isolated: boolean, lost: readonly J[]): Blame<J> {
  if (reason === 'hung') {
    return { culprits: lost.filter((j) => j.id === hungJobId), innocent: lost.filter((j) => j.id !== hungJobId), suspects: [] }
  }
  if (isolated || lost.length <= 1) return { culprits: [...lost], innocent: [], suspects: [] }
  // A crash usually follows soon after the job that causes it starts: the latest goes first.
  return { culprits: [], innocent: [], suspects: [...lost].sort((a, b) => b.seq - a.seq) }
}

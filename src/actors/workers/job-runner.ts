import type { JobRow } from '../storage/index.ts'

/** Job outcome as reported by the Worker pool. */
export type JobOutcome =
  | { jobId: string; kind: string; ok: true; output: unknown }
  | { jobId: string; kind: string; ok: false; reason: 'error' | 'timeout' | 'crashed' | 'hung' | 'lost' | 'unknown-kind'; error: string }

/** What the Worker pool offers the partition processors. */
export interface JobRunner {
  /** Runs a recorded job; `done` is called once with its outcome (not called when aborted by `abort`). */
  run(job: JobRow, done: (outcome: JobOutcome) => void): void
  /** Aborts jobs without reporting an outcome (cancelled, or their partition moved away). */
  abort(jobIds: string[]): void
}

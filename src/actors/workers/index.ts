/**
 * The Worker pool that runs jobs off the mailbox thread: the pool, the Worker-side host and the messages between them.
 * @module
 */
export type { JobOutcome, JobRunner } from './job-runner.ts'
export { serveJobs } from './worker-host.ts'
export { createWorkerPool } from './worker-pool.ts'
export type { JobProgress, WorkerPool, WorkerPoolOptions, WorkerState } from './worker-pool.ts'
export type { FromWorker, ToWorker } from './worker-protocol.ts'

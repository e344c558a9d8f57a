// The actor runtime's Worker-side entry: what job code and a pool Worker's entry need.
// Modules loaded in pool Workers import from here rather than from index.ts, which
// brings the whole node (Kysely, the Redis client, the coordinator) into every Worker.
export { defineJob, handleJob } from './model/job.ts'
export type { JobHandler, JobRunContext, JobType } from './model/job.ts'
export { serveJobs } from './workers/worker-host.ts'

/**
 * One owned partition at work: the processor's loop (queue, lease validity, drain, halt), the batch commit, job tracking, the actor cache, the one ack batch, and the node's commit slots.
 * @module
 */
export { createCommitSlots } from './commit-slots.ts'
export type { CommitSlots } from './commit-slots.ts'
export { commitRefusal, finishCommit, writeAppends } from './commit.repo.ts'
export type { CommitCheck, CommitTail } from './commit.repo.ts'
export { PartitionProcessor } from './partition-processor.ts'
export { createRuntimeCounters, defaultTuning } from './runtime-env.ts'
export type { RuntimeCounters, RuntimeEnv, RuntimeTuning } from './runtime-env.ts'

/**
 * One owned partition at work: the processor's loop (queue, lease validity, drain, halt), the batch commit, job tracking, the actor cache, the one ack batch, and the node's commit slots.
 * @module
 */
export { createAckBatch } from './ack-batch.ts'
export type { AckBatch } from './ack-batch.ts'
export { ActorCache } from './actor-cache.ts'
export { commitBatch, commitDeadLetter } from './batch-commit.ts'
export type { BatchPartition, CommitMode, CommittedBatch } from './batch-commit.ts'
export { createCommitSlots } from './commit-slots.ts'
export type { CommitSlots } from './commit-slots.ts'
export { commitRefusal, finishCommit, writeAppends } from './commit.repo.ts'
export type { CommitCheck, CommitTail } from './commit.repo.ts'
export { writeDeadLetter } from './dead-letter.ts'
export type { DeadLetterScope } from './dead-letter.ts'
export { JobTracker } from './job-tracker.ts'
export { PartitionProcessor } from './partition-processor.ts'
export { announceCommit, fireDueTimers, publishCommitted, runAfterCommit } from './publish.ts'
export { cascaded, decodeItem, keyOf } from './queue-item.ts'
export type { Decoded, QueueItem } from './queue-item.ts'
export { missingFromMailbox, republishOutbound } from './reconcile.ts'
export { createRuntimeCounters, defaultTuning } from './runtime-env.ts'
export type { RuntimeCounters, RuntimeEnv, RuntimeTuning } from './runtime-env.ts'

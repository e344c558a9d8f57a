/**
 * The runtime's tables, one repository per table (inbox, outbox, jobs, timers, leases, registry, nodes, schedules, dead letters), the pipelined transaction, and the storage interface that names them.
 * @module
 */
export { loadRegistry, markStopped, spawnUpsert, upsertSpawn } from './actor-registry.repo.ts'
export type { RegistryEntry } from './actor-registry.repo.ts'
export { databaseAnswers } from './database-probe.ts'
export { countDeadLetters, insertDeadLetters, listDeadLetters, pruneDeadLetters, recentDeadLetters } from './dead-letters.repo.ts'
export type { DeadLetter, DeadLetterRecord } from './dead-letters.repo.ts'
export { handledAlready, pruneInbox, recordInbox } from './inbox.repo.ts'
export { cancelJobs, claimPartitionJobs, finishJob, insertJobs, jobInsert, listPartitionJobs, readJobInput, recordedJob } from './jobs.repo.ts'
export type { JobRow, NewJob } from './jobs.repo.ts'
export { acquireLease, checkFence, ensurePartitions, listLeases, releaseLease, renewLeases } from './leases.repo.ts'
export type { LeaseRow } from './leases.repo.ts'
export { deregister, heartbeat, listNodes, liveNodeIds, pruneNodes } from './node-registry.repo.ts'
export type { NodeRow } from './node-registry.repo.ts'
export { deleteOutbox, insertOutbox, outboxInsert, partitionsWithStaleOutbox, staleOutbox, unhandledFrom } from './outbox.repo.ts'
export type { OutboxMessage } from './outbox.repo.ts'
export { runPipelinedTransaction } from './pipelined-transaction.ts'
export type { PipelinedControls } from './pipelined-transaction.ts'
export { claimSchedule, upsertSchedule } from './schedules.repo.ts'
export { deleteActorTimers, deleteTimer, insertTimer, nextTimerAt, takeDueTimers } from './timers.repo.ts'
export type { TimerRow } from './timers.repo.ts'

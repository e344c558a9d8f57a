/**
 * The actor runtime's public face: what code outside `src/actors` imports. Its parts live in
 * sub-folders, each with its own index: `model/` (addresses, envelopes, messages, behaviours,
 * jobs, errors), `handling/` (one message's dispatch and the context a handler sees),
 * `partition/` (an owned partition's loop and batch commit), `storage/` (the runtime's tables),
 * `transport/` (in-process and Redis Streams mailboxes), `workers/` (the Worker pool) and
 * `cluster/` (the node, its coordinator, client, scheduler and maintenance).
 * Pool Workers import `worker-side.ts` instead, which stays free of the node's dependencies.
 * @module
 */
export { assignPartitions, createActorClient, DEPARTED_NODE_RETENTION_MS, maintenanceSchedules, startActorNode } from './cluster/index.ts'
export type { ActorClient, ActorClientDeps, ActorNode, ActorNodeDeps, ActorNodeOptions, OwnedPartition, PendingMessage, PeriodicContext, PeriodicSchedule, TellOptions } from './cluster/index.ts'
export {
  ActorFailed,
  address,
  AskTimeoutError,
  decodeEnvelope,
  defineBehaviour,
  defineJob,
  defineMessage,
  encodeEnvelope,
  EnvelopeSchema,
  FencedError,
  handleJob,
  isAddress,
  JobCompleted,
  JobFailed,
  JobProgressed,
  newMessageId,
  on,
  parseAddress,
  partitionOf,
  stableHash,
} from './model/index.ts'
export type {
  ActivationContext,
  ActorAskOptions,
  ActorContext,
  Address,
  Behaviour,
  BehaviourSpec,
  Envelope,
  Handler,
  Handlers,
  JobHandler,
  JobRunContext,
  JobType,
  Message,
  MessageOf,
  MessageType,
  ParsedAddress,
  SubmitJobOptions,
} from './model/index.ts'
export type { RuntimeTuning } from './partition/index.ts'
export { countDeadLetters, listDeadLetters, listLeases, listNodes, recentDeadLetters } from './storage/index.ts'
export type { DeadLetter, DeadLetterRecord, JobRow, LeaseRow, NodeRow } from './storage/index.ts'
export { CONSUMER_GROUP, createInProcessTransport, createRedisStreamsTransport, deadLetterKey, mailboxKey } from './transport/index.ts'
export type {
  DeadLetterEntry,
  Delivery,
  InProcessTransport,
  MailboxEntry,
  MailboxSink,
  MailboxStats,
  MailboxTransport,
  RedisStreamsOptions,
} from './transport/index.ts'
export { createWorkerPool, serveJobs } from './workers/index.ts'
export type { JobOutcome, JobProgress, WorkerPool, WorkerPoolOptions, WorkerState } from './workers/index.ts'

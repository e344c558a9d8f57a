import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import type { Counter, MetricsRegistry } from '../../metrics/index.ts'
import type { Behaviour } from '../model/index.ts'
import type { AckBatch } from './ack-batch.ts'
import type { CommitSlots } from './commit-slots.ts'
import type { JobRow, OutboxMessage } from '../storage/index.ts'
import type { MailboxTransport } from '../transport/index.ts'
import type { JobRunner } from '../workers/index.ts'

/** The runtime's counters. */
export interface RuntimeCounters {
  handled: Counter
  failed: Counter
  deadLettered: Counter
  duplicates: Counter
  published: Counter
  batches: Counter
  timersFired: Counter
}

/** Creates the runtime's counters in `metrics`. */
export function createRuntimeCounters(metrics: MetricsRegistry): RuntimeCounters {
  return {
    handled: metrics.counter('sage_messages_handled_total', 'Messages whose handler committed'),
    failed: metrics.counter('sage_messages_failed_total', 'Handler attempts that threw (the message is redelivered)'),
    deadLettered: metrics.counter('sage_messages_dead_lettered_total', 'Messages moved to the dead-letter stream'),
    duplicates: metrics.counter('sage_messages_duplicate_total', 'Redelivered messages skipped by the inbox'),
    published: metrics.counter('sage_messages_published_total', 'Messages appended to a mailbox after commit'),
    batches: metrics.counter('sage_commit_batches_total', 'Commit transactions of message batches'),
    timersFired: metrics.counter('sage_timers_fired_total', 'Durable timers fired'),
  }
}

/** Tuning knobs of the runtime (defaults suit production; tests shorten them). */
export interface RuntimeTuning {
  /** Messages per commit transaction. */
  batchSize: number
  /** Failed deliveries before a message is dead-lettered. */
  maxDeliveries: number
  /** Backoff before redelivering after a handler threw, per attempt. */
  retryBaseMs: number
  /** Queue length at which a partition stops reading from the transport. */
  queueHighWater: number
  /** Outbox rows older than this, not found in their mailbox, are re-published. */
  reconcileAfterMs: number
  /** How often the reconciler runs per owned partition. */
  reconcileEveryMs: number
  /** Coordinator round: heartbeat, lease renewal, rebalancing. */
  tickMs: number
  /** Voluntary partition hand-overs per node per round. */
  movesPerRound: number
  /** Active actors kept in memory per partition before the least recently used are passivated. */
  maxActiveActors: number
  /** Partition batches committed at once on a node (see commit-slots.ts). */
  commitConcurrency: number
}

/** Default tuning for a lease of `leaseMs`. */
export function defaultTuning(leaseMs: number): RuntimeTuning {
  return {
    batchSize: 256,
    maxDeliveries: 5,
    retryBaseMs: 50,
    queueHighWater: 4096,
    reconcileAfterMs: 3000,
    reconcileEveryMs: 2000,
    tickMs: Math.min(1000, Math.max(100, Math.floor(leaseMs / 5))),
    movesPerRound: 8,
    maxActiveActors: 10_000,
    commitConcurrency: 4,
  }
}

/** What every partition processor of a node shares. */
export interface RuntimeEnv {
  db: Kysely<Database>
  nodeId: string
  partitions: number
  leaseMs: number
  behaviours: ReadonlyMap<string, Behaviour>
  transport: MailboxTransport
  log: Logger
  counters: RuntimeCounters
  tuning: RuntimeTuning
  /** Shared by the node's partitions: how many batches commit at once. */
  commitSlots: CommitSlots
  /** Shared by the node's partitions: the one batch of acknowledgements. */
  acks: AckBatch
  jobs: JobRunner
  /** Hands committed messages to their mailboxes: locally when this node runs the target partition. */
  route(messages: OutboxMessage[]): Promise<void>
}

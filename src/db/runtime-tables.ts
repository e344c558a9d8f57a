import type { ColumnType, Generated } from 'kysely'

/** A timestamp column with a database default: read as a Date, optional on insert. */
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>
/** A `jsonb` column written as a JSON string. */
type JsonText = ColumnType<unknown, string | undefined, string>

/** A live (or recently live) actor node; `heartbeat_at` is renewed every second. */
export interface ActorNodesTable {
  node_id: string
  started_at: Stamp
  heartbeat_at: Stamp
  draining: ColumnType<boolean, boolean | undefined, boolean>
  info: JsonText
}

/** One row per mailbox partition: its lease (owner until `expires_at`) and fencing epoch. */
export interface ActorPartitionsTable {
  partition: number
  owner: string | null
  epoch: ColumnType<number, number | undefined, number>
  expires_at: Stamp
  updated_at: Stamp
}

/** Message ids whose handler has committed: a redelivered duplicate is skipped. */
export interface ActorInboxTable {
  message_id: string
  partition: number
  handled_at: Stamp
}

/** Messages committed by a sender and not yet handled by their receiver (the reconciler re-publishes them). */
export interface ActorOutboxTable {
  seq: Generated<number>
  message_id: string
  target_partition: number
  /** The sending actor's partition; null for a message from outside the actors. */
  source_partition: number | null
  envelope: string
  created_at: Stamp
}

/** Durable timers: an envelope delivered to `actor` at `fire_at`, owned by the partition. */
export interface ActorTimersTable {
  id: string
  partition: number
  actor: string
  key: string | null
  fire_at: ColumnType<Date, Date | string, Date | string>
  envelope: string
  created_at: Stamp
}

/** Jobs submitted to the Worker pool and not finished yet. */
export interface ActorJobsTable {
  id: string
  partition: number
  actor: string
  reply_to: string
  kind: string
  input: string
  deadline_ms: number
  attempts: ColumnType<number, number | undefined, number>
  created_at: Stamp
}

/** Spawned actors: their supervisor and whether they were stopped. */
export interface ActorRegistryTable {
  address: string
  partition: number
  kind: string
  supervisor: string | null
  status: ColumnType<'active' | 'stopped', 'active' | 'stopped' | undefined, 'active' | 'stopped'>
  created_at: Stamp
  updated_at: Stamp
}

/** Messages that could not be handled: invalid, or failed 5 deliveries. */
export interface ActorDeadLettersTable {
  id: Generated<number>
  partition: number
  message_id: string | null
  actor: string | null
  message_type: string | null
  reason: string
  attempts: ColumnType<number, number | undefined, number>
  envelope: string
  created_at: Stamp
}

/** Cluster-wide periodic schedules: whoever moves `next_run_at` forward runs that period. */
export interface ActorSchedulesTable {
  name: string
  period_ms: number
  next_run_at: Stamp
  last_run_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  last_node: string | null
}

/** Tables of the runtime area; added by migrations 0020–0029. */
export interface RuntimeTables {
  actor_nodes: ActorNodesTable
  actor_partitions: ActorPartitionsTable
  actor_inbox: ActorInboxTable
  actor_outbox: ActorOutboxTable
  actor_timers: ActorTimersTable
  actor_jobs: ActorJobsTable
  actor_registry: ActorRegistryTable
  actor_dead_letters: ActorDeadLettersTable
  actor_schedules: ActorSchedulesTable
}

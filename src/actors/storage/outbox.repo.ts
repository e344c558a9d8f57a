import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Envelope } from '../model/index.ts'

/** A message to write to the outbox: committed with its sender's effects, deleted when its receiver commits. */
export interface OutboxMessage {
  messageId: string
  targetPartition: number
  /** The sender's partition; null for a message from outside the actors. */
  sourcePartition: number | null
  envelope: string
  /**
   * The envelope itself, when this process built it (see toOutbox): a message handled in
   * its sender's own commit is taken from here, and its text is never made.
   */
  built?: Envelope
}

const CHUNK = 1000

/** Writes messages to the outbox in order. */
export async function insertOutbox(trx: Transaction<Database> | Kysely<Database>, messages: OutboxMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += CHUNK) {
    await outboxInsert(messages.slice(i, i + CHUNK)).execute(trx)
  }
}

/** The statement that writes `messages` to the outbox (also a part of the commit's last statement). */
export function outboxInsert(messages: readonly OutboxMessage[]): RawBuilder<unknown> {
  return sql`insert into actor_outbox (message_id, target_partition, source_partition, envelope)
    select * from unnest(
      ${messages.map((m) => m.messageId)}::text[],
      ${messages.map((m) => m.targetPartition)}::int[],
      ${messages.map((m) => m.sourcePartition)}::int[],
      ${messages.map((m) => m.envelope)}::text[])
    on conflict (message_id) do nothing`
}

/** Removes handled (or dead-lettered) messages from the outbox. */
export async function deleteOutbox(trx: Transaction<Database>, messageIds: string[]): Promise<void> {
  if (messageIds.length === 0) return
  await sql`delete from actor_outbox where message_id = any(${messageIds}::text[])`.execute(trx)
}

/** Outbox rows for a partition older than `minAgeMs`, oldest first: candidates for re-publishing. */
export async function staleOutbox(
  db: Kysely<Database>,
  partition: number,
  minAgeMs: number,
  limit: number,
): Promise<OutboxMessage[]> {
  const { rows } = await sql<OutboxRow>`
    select message_id, target_partition, source_partition, envelope from actor_outbox
    where target_partition = ${partition} and created_at <= now() - make_interval(secs => ${minAgeMs / 1000})
    order by seq limit ${limit}`.execute(db)
  return rows.map(fromRow)
}

/** Which of `partitions` have outbox rows older than `minAgeMs`. */
export async function partitionsWithStaleOutbox(db: Kysely<Database>, partitions: number[], minAgeMs: number): Promise<number[]> {
  const { rows } = await sql<{ target_partition: number }>`
    select distinct target_partition from actor_outbox
    where target_partition = any(${partitions}::int[]) and created_at <= now() - make_interval(secs => ${minAgeMs / 1000})`.execute(db)
  return rows.map((r) => r.target_partition)
}

/**
 * Messages sent from a partition and not yet handled, oldest first. A new owner
 * publishes them before handling anything, so a message its predecessor committed
 * but never published cannot be overtaken by the sender's later messages.
 */
export async function unhandledFrom(db: Kysely<Database>, partition: number, limit: number): Promise<OutboxMessage[]> {
  const { rows } = await sql<OutboxRow>`
    select message_id, target_partition, source_partition, envelope from actor_outbox
    where source_partition = ${partition} order by seq limit ${limit}`.execute(db)
  return rows.map(fromRow)
}

interface OutboxRow {
  message_id: string
  target_partition: number
  source_partition: number | null
  envelope: string
}

function fromRow(r: OutboxRow): OutboxMessage {
  return { messageId: r.message_id, targetPartition: r.target_partition, sourcePartition: r.source_partition, envelope: r.envelope }
}

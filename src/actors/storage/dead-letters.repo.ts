import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

/** A message the runtime gave up on. */
export interface DeadLetter {
  partition: number
  messageId: string | null
  actor: string | null
  messageType: string | null
  reason: string
  attempts: number
  envelope: string
}

/** Records dead letters (the durable record; the dead-letter stream is the transport's copy). */
export async function insertDeadLetters(trx: Transaction<Database>, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return
  await trx
    .insertInto('actor_dead_letters')
    .values(
      letters.map((l) => ({
        partition: l.partition,
        message_id: l.messageId,
        actor: l.actor,
        message_type: l.messageType,
        reason: l.reason,
        attempts: l.attempts,
        envelope: l.envelope,
      })),
    )
    .execute()
}

/** Dead letters of a partition (or all), newest last. */
export async function listDeadLetters(db: Kysely<Database>, options: { partition?: number; limit?: number } = {}): Promise<DeadLetter[]> {
  let q = db.selectFrom('actor_dead_letters').selectAll().orderBy('id').limit(options.limit ?? 1000)
  if (options.partition !== undefined) q = q.where('partition', '=', options.partition)
  const rows = await q.execute()
  return rows.map((r) => ({
    partition: r.partition,
    messageId: r.message_id,
    actor: r.actor,
    messageType: r.message_type,
    reason: r.reason,
    attempts: r.attempts,
    envelope: r.envelope,
  }))
}

/** Deletes dead letters older than `olderThanMs`. */
export async function pruneDeadLetters(db: Kysely<Database>, olderThanMs: number): Promise<number> {
  const { numAffectedRows } = await sql`delete from actor_dead_letters where created_at < now() - make_interval(secs => ${olderThanMs / 1000})`.execute(db)
  return Number(numAffectedRows ?? 0)
}

/** A recorded dead letter, as operators list it. */
export interface DeadLetterRecord extends Omit<DeadLetter, 'envelope'> {
  id: number
  createdAt: string
}

/** The most recent dead letters, newest first (without their envelopes). */
export async function recentDeadLetters(db: Kysely<Database>, limit: number): Promise<DeadLetterRecord[]> {
  const rows = await db
    .selectFrom('actor_dead_letters')
    .select(['id', 'partition', 'message_id', 'actor', 'message_type', 'reason', 'attempts', 'created_at'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: Number(r.id),
    partition: r.partition,
    messageId: r.message_id,
    actor: r.actor,
    messageType: r.message_type,
    reason: r.reason,
    attempts: r.attempts,
    createdAt: new Date(r.created_at).toISOString(),
  }))
}

/** Recorded dead letters by the kind of actor they were for (`session`, `agent`; `''` when unknown). */
export async function countDeadLetters(db: Kysely<Database>): Promise<Array<{ kind: string; n: number }>> {
  const { rows } = await sql<{ kind: string; n: string | number }>`
    select coalesce(split_part(actor, '/', 1), '') as kind, count(*) as n from actor_dead_letters group by 1 order by 1`.execute(db)
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n) }))
}

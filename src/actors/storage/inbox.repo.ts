import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

/**
 * Records message ids as handled; returns those that were not recorded before (the
 * rest are duplicates). When `idleTimeoutMs` is given, the transaction is also bounded:
 * if its node freezes (SIGSTOP) holding these rows' locks, PostgreSQL ends it after
 * that long idle, so the next owner is not blocked behind it.
 */
export async function recordInbox(
  trx: Transaction<Database>,
  partition: number,
  messageIds: string[],
  idleTimeoutMs?: number,
): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set()
  const bound = idleTimeoutMs === undefined ? sql`` : sql`, set_config('idle_in_transaction_session_timeout', ${String(idleTimeoutMs)}, true)`
  const { rows } = await sql<{ message_id: string }>`
    insert into actor_inbox (message_id, partition)
    select m, ${partition}::int from unnest(${messageIds}::text[]) as m
    on conflict (message_id) do nothing returning message_id${bound}`.execute(trx)
  return new Set(rows.map((r) => r.message_id))
}

/** Which of `messageIds` are already recorded as handled. */
export async function handledAlready(trx: Transaction<Database>, messageIds: string[]): Promise<Set<string>> {
  if (messageIds.length === 0) return new Set()
  const { rows } = await sql<{ message_id: string }>`
    select message_id from actor_inbox where message_id = any(${messageIds}::text[])`.execute(trx)
  return new Set(rows.map((r) => r.message_id))
}

/** Deletes inbox rows older than `olderThanMs` (retention; redeliveries come much sooner). */
export async function pruneInbox(db: Kysely<Database>, olderThanMs: number): Promise<number> {
  const { numAffectedRows } = await sql`delete from actor_inbox where handled_at < now() - make_interval(secs => ${olderThanMs / 1000})`.execute(db)
  return Number(numAffectedRows ?? 0)
}

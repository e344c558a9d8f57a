import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

/** A durable timer to write. */
export interface TimerRow {
  id: string
  partition: number
  actor: string
  key: string | null
  fireAt: Date
  envelope: string
}

/** Writes a timer; one with the same actor and key is replaced. */
export async function insertTimer(trx: Transaction<Database>, t: TimerRow): Promise<void> {
  if (t.key === null) {
    await trx
      .insertInto('actor_timers')
      .values({ id: t.id, partition: t.partition, actor: t.actor, key: null, fire_at: t.fireAt, envelope: t.envelope })
      .execute()
    return
  }
  await sql`insert into actor_timers (id, partition, actor, key, fire_at, envelope)
    values (${t.id}, ${t.partition}, ${t.actor}, ${t.key}, ${t.fireAt}, ${t.envelope})
    on conflict (actor, key) where key is not null
    do update set id = excluded.id, fire_at = excluded.fire_at, envelope = excluded.envelope, created_at = now()`.execute(trx)
}

/** Deletes one of an actor's timers by id or key. */
export async function deleteTimer(trx: Transaction<Database>, actor: string, idOrKey: { id: string } | { key: string }): Promise<void> {
  let q = trx.deleteFrom('actor_timers').where('actor', '=', actor)
  q = 'id' in idOrKey ? q.where('id', '=', idOrKey.id) : q.where('key', '=', idOrKey.key)
  await q.execute()
}

/** Deletes every timer of an actor (it stopped). */
export async function deleteActorTimers(trx: Transaction<Database>, actor: string): Promise<void> {
  await trx.deleteFrom('actor_timers').where('actor', '=', actor).execute()
}

/** Removes and returns the partition's due timers, oldest first. */
export async function takeDueTimers(trx: Transaction<Database>, partition: number, limit: number): Promise<Array<{ id: string; envelope: string }>> {
  const { rows } = await sql<{ id: string; envelope: string; fire_at: Date }>`
    delete from actor_timers where id in (
      select id from actor_timers where partition = ${partition} and fire_at <= now() order by fire_at limit ${limit}
    ) returning id, envelope, fire_at`.execute(trx)
  return rows.sort((a, b) => a.fire_at.getTime() - b.fire_at.getTime()).map((r) => ({ id: r.id, envelope: r.envelope }))
}

/** When the partition's next timer fires (epoch ms), or null when it has none. */
export async function nextTimerAt(db: Kysely<Database>, partition: number): Promise<number | null> {
  const row = await db
    .selectFrom('actor_timers')
    .select((eb) => eb.fn.min('fire_at').as('next'))
    .where('partition', '=', partition)
    .executeTakeFirst()
  const next = row?.next as Date | string | null | undefined
  return next ? new Date(next).getTime() : null
}

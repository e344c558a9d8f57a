import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

/** A partition lease row as the coordinator sees it. */
export interface LeaseRow {
  partition: number
  owner: string | null
  epoch: number
  /** True when nobody holds it: no owner, or its lease ran out. */
  free: boolean
}

/** Creates the lease rows of partitions 0..count-1 (idempotent). */
export async function ensurePartitions(db: Kysely<Database>, count: number): Promise<void> {
  await sql`insert into actor_partitions (partition) select g from generate_series(0, ${count - 1}::int) g on conflict (partition) do nothing`.execute(db)
}

/** Every lease, with whether it is free now (by the database clock). */
export async function listLeases(db: Kysely<Database>, count: number): Promise<LeaseRow[]> {
  const { rows } = await sql<{ partition: number; owner: string | null; epoch: number | string; free: boolean }>`
    select partition, owner, epoch, (owner is null or expires_at < now()) as free
    from actor_partitions where partition < ${count} order by partition`.execute(db)
  return rows.map((r) => ({ partition: r.partition, owner: r.owner, epoch: Number(r.epoch), free: r.free }))
}

/**
 * Takes a free (or expired) lease and bumps its epoch, fencing any previous owner.
 * Returns the new epoch, or null when someone else holds it. Waits at most
 * `lockTimeoutMs` for a previous owner's in-flight commit.
 */
export async function acquireLease(
  db: Kysely<Database>,
  partition: number,
  nodeId: string,
  leaseMs: number,
  lockTimeoutMs: number,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('lock_timeout', ${String(lockTimeoutMs)}, true)`.execute(trx)
    const { rows } = await sql<{ epoch: number | string }>`
      update actor_partitions
      set owner = ${nodeId}, epoch = epoch + 1, expires_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
      where partition = ${partition} and (owner is null or expires_at < now() or owner = ${nodeId})
      returning epoch`.execute(trx)
    return rows[0] ? Number(rows[0].epoch) : null
  })
}

/** Renews the leases this node holds; returns the partitions still held with the expected epoch. */
export async function renewLeases(
  db: Kysely<Database>,
  nodeId: string,
  held: ReadonlyMap<number, number>,
  leaseMs: number,
): Promise<Set<number>> {
  if (held.size === 0) return new Set()
  const { rows } = await sql<{ partition: number; epoch: number | string }>`
    update actor_partitions set expires_at = now() + make_interval(secs => ${leaseMs / 1000})
    where owner = ${nodeId} and partition = any(${[...held.keys()]}::int[])
    returning partition, epoch`.execute(db)
  const kept = new Set<number>()
  for (const r of rows) if (held.get(r.partition) === Number(r.epoch)) kept.add(r.partition)
  return kept
}

/** Gives a lease up at once (graceful stop or rebalance) so the next owner need not wait for it to expire. */
export async function releaseLease(db: Kysely<Database>, partition: number, nodeId: string, epoch: number): Promise<void> {
  await sql`update actor_partitions set owner = null, expires_at = now(), updated_at = now()
    where partition = ${partition} and owner = ${nodeId} and epoch = ${epoch}`.execute(db)
}

/**
 * The fence, run last in every commit: locks the lease row (FOR SHARE, so a takeover
 * waits for this commit) and checks this node still holds it at `epoch`. Also bounds
 * how long this transaction may sit idle (a SIGSTOPped node must not hold locks
 * forever). Returns false when the lease was taken: the caller must roll back.
 */
export async function checkFence(
  trx: Transaction<Database>,
  partition: number,
  nodeId: string,
  epoch: number,
  idleTimeoutMs: number,
): Promise<boolean> {
  const { rows } = await sql<{ ok: number }>`
    select 1 as ok, set_config('idle_in_transaction_session_timeout', ${String(idleTimeoutMs)}, true)
    from actor_partitions where partition = ${partition} and owner = ${nodeId} and epoch = ${epoch} for share`.execute(trx)
  return rows.length === 1
}

import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/index.ts'
import { acquireLease } from '../storage/index.ts'

/**
 * Takes the free (or expired) leases among `partitions` in one statement, bumping each one's
 * epoch (which fences any previous owner), as `acquireLease` does for one. Returns the new
 * epoch of every partition taken, in partition order; a partition someone else holds is left
 * out. Waits at most `lockTimeoutMs` for a previous owner's in-flight commit (its fence holds
 * the row FOR SHARE); when that wait times out, it falls back to one statement per partition
 * so the partitions that are not locked are still taken this round.
 *
 * ### Examples
 * ```ts
 * await acquireLeases(db, [0, 1, 2], 'node-a', 10_000, 1000) // Map { 0 => 1, 1 => 1, 2 => 4 }
 * ```
 * ```sql
 * update actor_partitions
 * set owner = $1, epoch = epoch + 1, expires_at = now() + make_interval(secs => $2), updated_at = now()
 * where partition = any($3::int[]) and (owner is null or expires_at < now() or owner = $4)
 * returning partition, epoch
 * ```
 */
export async function acquireLeases(
  db: Kysely<Database>,
  partitions: readonly number[],
  nodeId: string,
  leaseMs: number,
  lockTimeoutMs: number,
): Promise<Map<number, number>> {
  const taken = new Map<number, number>()
  if (partitions.length === 0) return taken
  try {
    const rows = await db.transaction().execute(async (trx) => {
      await sql`select set_config('lock_timeout', ${String(lockTimeoutMs)}, true)`.execute(trx)
      const result = await sql<{ partition: number; epoch: number | string }>`
        update actor_partitions
        set owner = ${nodeId}, epoch = epoch + 1, expires_at = now() + make_interval(secs => ${leaseMs / 1000}), updated_at = now()
        where partition = any(${[...partitions]}::int[]) and (owner is null or expires_at < now() or owner = ${nodeId})
        returning partition, epoch`.execute(trx)
      return result.rows
    })
    for (const r of [...rows].sort((a, b) => a.partition - b.partition)) taken.set(r.partition, Number(r.epoch))
    return taken
  } catch (error) {
    // 55P03 lock_not_available: one row is held by a commit in flight. Anything else is the round's failure.
    if ((error as { code?: unknown }).code !== '55P03' || partitions.length === 1) throw error
  }
  for (const partition of partitions) {
    try {
      const epoch = await acquireLease(db, partition, nodeId, leaseMs, lockTimeoutMs)
      if (epoch !== null) taken.set(partition, epoch)
    } catch (error) {
      if ((error as { code?: unknown }).code !== '55P03') throw error
    }
  }
  return taken
}

import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

/** A spawned actor's registry entry. */
export interface RegistryEntry {
  address: string
  supervisor: string | null
  status: 'active' | 'stopped'
}

/** Registry entries of `addresses` (actors never spawned have none). */
export async function loadRegistry(trx: Transaction<Database>, addresses: string[]): Promise<Map<string, RegistryEntry>> {
  const out = new Map<string, RegistryEntry>()
  if (addresses.length === 0) return out
  const rows = await trx
    .selectFrom('actor_registry')
    .select(['address', 'supervisor', 'status'])
    .where('address', 'in', addresses)
    .execute()
  for (const r of rows) out.set(r.address, r)
  return out
}

type SpawnRow = { address: string; partition: number; kind: string; supervisor: string | null }

/** Records spawns: each child's supervisor, and marks it active (a stopped actor can be spawned again). */
export async function upsertSpawn(trx: Transaction<Database>, entries: readonly SpawnRow[]): Promise<void> {
  if (entries.length === 0) return
  await spawnUpsert(entries).execute(trx)
}

/** The statement upsertSpawn runs (also a part of the commit's last statement). */
export function spawnUpsert(entries: readonly SpawnRow[]): RawBuilder<unknown> {
  return sql`insert into actor_registry (address, partition, kind, supervisor, status)
    select address, partition, kind, supervisor, 'active'
    from unnest(${entries.map((e) => e.address)}::text[], ${entries.map((e) => e.partition)}::int[],
      ${entries.map((e) => e.kind)}::text[], ${entries.map((e) => e.supervisor)}::text[]) as e(address, partition, kind, supervisor)
    on conflict (address) do update set supervisor = excluded.supervisor, status = 'active', updated_at = now()`
}

/** Marks an actor stopped (creating its entry if it had none). */
export async function markStopped(trx: Transaction<Database>, entry: { address: string; partition: number; kind: string }): Promise<void> {
  await sql`insert into actor_registry (address, partition, kind, supervisor, status)
    values (${entry.address}, ${entry.partition}, ${entry.kind}, null, 'stopped')
    on conflict (address) do update set status = 'stopped', updated_at = now()`.execute(trx)
}

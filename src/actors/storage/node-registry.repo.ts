import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/index.ts'

/** A node as listed by `bun run sage nodes`. */
export interface NodeRow {
  node_id: string
  started_at: Date
  heartbeat_at: Date
  draining: boolean
  live: boolean
  info: unknown
}

/** Registers the node or renews its heartbeat. */
export async function heartbeat(db: Kysely<Database>, nodeId: string, draining: boolean, info: unknown): Promise<void> {
  await sql`insert into actor_nodes (node_id, draining, info) values (${nodeId}, ${draining}, ${JSON.stringify(info)}::jsonb)
    on conflict (node_id) do update set heartbeat_at = now(), draining = excluded.draining, info = excluded.info`.execute(db)
}

/** Ids of nodes whose heartbeat is younger than `leaseMs` and that are not draining, sorted. */
export async function liveNodeIds(db: Kysely<Database>, leaseMs: number): Promise<string[]> {
  const { rows } = await sql<{ node_id: string }>`
    select node_id from actor_nodes
    where heartbeat_at > now() - make_interval(secs => ${leaseMs / 1000}) and not draining
    order by node_id`.execute(db)
  return rows.map((r) => r.node_id)
}

/** Every registered node, live or not, newest heartbeat first. */
export async function listNodes(db: Kysely<Database>, leaseMs: number): Promise<NodeRow[]> {
  const { rows } = await sql<NodeRow>`
    select node_id, started_at, heartbeat_at, draining, info,
      (heartbeat_at > now() - make_interval(secs => ${leaseMs / 1000})) as live
    from actor_nodes order by heartbeat_at desc`.execute(db)
  return rows
}

/** Removes the node (a graceful stop), so the others rebalance without waiting for its heartbeat to age. */
export async function deregister(db: Kysely<Database>, nodeId: string): Promise<void> {
  await db.deleteFrom('actor_nodes').where('node_id', '=', nodeId).execute()
}

/** Deletes up to `limit` nodes whose heartbeat is older than `olderThanMs` (departed: killed, or stopped without deregistering). */
export async function pruneNodes(db: Kysely<Database>, olderThanMs: number, limit = 1000): Promise<number> {
  const { numAffectedRows } = await sql`delete from actor_nodes where node_id in (
    select node_id from actor_nodes where heartbeat_at < now() - make_interval(secs => ${olderThanMs / 1000}) limit ${limit})`.execute(db)
  return Number(numAffectedRows ?? 0)
}

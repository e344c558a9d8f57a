import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/index.ts'

/** Registers a periodic schedule (or updates its period). */
export async function upsertSchedule(db: Kysely<Database>, name: string, periodMs: number): Promise<void> {
  await sql`insert into actor_schedules (name, period_ms, next_run_at) values (${name}, ${periodMs}, now())
    on conflict (name) do update set period_ms = excluded.period_ms`.execute(db)
}

/**
 * Claims the current period of a schedule for this node: true for exactly one node
 * per period, cluster-wide (the row's `next_run_at` moves forward atomically).
 */
export async function claimSchedule(db: Kysely<Database>, name: string, nodeId: string): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`
    update actor_schedules
    set next_run_at = now() + make_interval(secs => period_ms / 1000.0), last_run_at = now(), last_node = ${nodeId}
    where name = ${name} and next_run_at <= now()
    returning name`.execute(db)
  return rows.length === 1
}

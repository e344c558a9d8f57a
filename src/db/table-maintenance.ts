import { type Kysely, sql } from 'kysely'
import type { Database } from './schema.ts'

/**
 * Planner statistics and dead-row cleanup for servers that run without autovacuum
 * (some managed and test servers, and PGlite, which is single-user).
 *
 * Without statistics PostgreSQL plans from a table's size at planning time, and a named
 * prepared statement keeps the generic plan it made then: a lookup first planned while
 * its table was nearly empty stays a sequential scan as the table grows, and every call
 * reads the whole table. ANALYZE refreshes the statistics and invalidates those plans.
 * The thresholds are autovacuum's defaults, so a table is analyzed (or vacuumed) about as
 * often as the server itself would have done it.
 */

/** autovacuum_analyze_threshold and autovacuum_analyze_scale_factor's defaults. */
const ANALYZE_BASE = 50
const ANALYZE_SCALE = 0.1
/** autovacuum_vacuum_threshold and autovacuum_vacuum_scale_factor's defaults. */
const VACUUM_BASE = 50
const VACUUM_SCALE = 0.2

export interface TableMaintenance {
  analyzed: string[]
  vacuumed: string[]
}

/**
 * Whether the server's autovacuum looks after this database's tables itself: its
 * launcher runs (PGlite says `autovacuum = on` but, single-user, runs no launcher).
 */
export async function autovacuumRunning(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ running: boolean }>`
    select current_setting('autovacuum') = 'on'
      and exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as running`.execute(db)
  return rows[0]?.running === true
}

/**
 * Analyzes the tables of the current schema changed by more than autovacuum's analyze
 * threshold since their last analyze, and vacuums those past its vacuum threshold in
 * dead rows. Tables with no recorded activity are left alone.
 */
export async function maintainTables(db: Kysely<Database>): Promise<TableMaintenance> {
  const { rows } = await sql<{ name: string; analyze: boolean; vacuum: boolean }>`
    select s.relname as name,
      s.n_mod_since_analyze > ${ANALYZE_BASE} + ${ANALYZE_SCALE} * greatest(c.reltuples, 0) as analyze,
      s.n_dead_tup > ${VACUUM_BASE} + ${VACUUM_SCALE} * greatest(c.reltuples, 0) as vacuum
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    where s.schemaname = current_schema()
    order by s.relname`.execute(db)
  const done: TableMaintenance = { analyzed: [], vacuumed: [] }
  for (const row of rows) {
    // VACUUM cannot run in a transaction block; each runs as its own simple-protocol statement.
    if (row.vacuum) {
      await sql`vacuum (analyze) ${sql.table(row.name)}`.execute(db)
      done.vacuumed.push(row.name)
      done.analyzed.push(row.name)
    } else if (row.analyze) {
      await sql`analyze ${sql.table(row.name)}`.execute(db)
      done.analyzed.push(row.name)
    }
  }
  return done
}

import { type Kysely, sql } from 'kysely'

/**
 * The JSON payloads a session writes are stored and read whole, never searched or joined
 * on: no query plan uses statistics about them. ANALYZE (autovacuum's, or the node's table
 * maintenance where autovacuum does not run) then skips them instead of sampling and
 * sorting them each time their table grows by a tenth. Columns that queries filter on
 * keep the default statistics target.
 */
const PAYLOADS: Array<[table: string, column: string]> = [
  ['agent_tasks', 'input_data'],
  ['agent_tasks', 'output_data'],
  ['agent_snapshots', 'context_state'],
  ['agent_snapshots', 'capabilities'],
  ['agent_snapshots', 'decisions'],
  ['agent_snapshots', 'execution_metadata'],
  ['session_events', 'data'],
  ['actor_jobs', 'input'],
  ['actor_outbox', 'envelope'],
  ['actor_timers', 'envelope'],
  ['actor_dead_letters', 'envelope'],
]

async function setStatistics(db: Kysely<unknown>, target: number): Promise<void> {
  for (const [table, column] of PAYLOADS) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set statistics ${sql.raw(String(target))}`.execute(db)
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setStatistics(db, 0)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // -1: back to the server's default_statistics_target.
  await setStatistics(db, -1)
}

import { type Kysely, sql } from 'kysely'

/**
 * The large JSON a session writes (agent outputs, snapshots with the prompt, job inputs,
 * timer envelopes) is compressed when stored out of line; lz4 compresses about a third
 * cheaper in CPU than PostgreSQL's default pglz. Only where the server supports it
 * (PGlite does not): elsewhere this changes nothing. Values already stored keep theirs.
 */
const COLUMNS: Array<[table: string, column: string]> = [
  ['agent_tasks', 'input_data'],
  ['agent_tasks', 'output_data'],
  ['agent_snapshots', 'context_state'],
  ['agent_snapshots', 'decisions'],
  ['agent_snapshots', 'execution_metadata'],
  ['session_events', 'data'],
  ['actor_jobs', 'input'],
  ['actor_outbox', 'envelope'],
  ['actor_timers', 'envelope'],
  ['actor_dead_letters', 'envelope'],
]

async function setCompression(db: Kysely<unknown>, method: 'lz4' | 'default'): Promise<void> {
  const { rows } = await sql<{ ok: boolean }>`
    select 'lz4' = any(enumvals) as ok from pg_settings where name = 'default_toast_compression'`.execute(db)
  if (!rows[0]?.ok) return
  for (const [table, column] of COLUMNS) {
    await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} set compression ${sql.raw(method)}`.execute(db)
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await setCompression(db, 'lz4')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setCompression(db, 'default')
}

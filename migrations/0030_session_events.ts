import { type Kysely, sql } from 'kysely'

/**
 * The per-session event log the live UI streams from. `seq` numbers a session's events
 * 1, 2, 3… in commit order with no gaps: writers take the next number from
 * `execution_sessions.event_seq` with a row lock, so a reader that has seen event n has
 * seen every event before it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('execution_sessions')
    .addColumn('event_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema
    .createTable('session_events')
    .addColumn('session_id', 'bigint', (c) => c.notNull().references('execution_sessions.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_events_pkey', ['session_id', 'seq'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('session_events').execute()
  await db.schema.alterTable('execution_sessions').dropColumn('event_seq').execute()
}

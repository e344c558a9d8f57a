import type { Kysely } from 'kysely'

/**
 * An agent's prompt carries a session's latest user decisions (`where session_id = ?
 * order by id desc limit ?`): an index on (session_id, id) answers that in order, where
 * one on session_id alone leaves the planner a choice of walking the whole table backwards
 * by primary key, which it takes when statistics are missing or stale.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_session_decisions_session_id').on('session_decisions').columns(['session_id', 'id']).execute()
  await db.schema.dropIndex('idx_session_decisions_session').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_session_decisions_session').on('session_decisions').column('session_id').execute()
  await db.schema.dropIndex('idx_session_decisions_session_id').execute()
}

import type { Kysely } from 'kysely'

/**
 * When a failed attempt waits for its backoff, `retry_at` says when the next attempt
 * is due; null otherwise. The supervisor rehydrates from it after a takeover, and the
 * live view shows it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_tasks').addColumn('retry_at', 'timestamptz').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agent_tasks').dropColumn('retry_at').execute()
}

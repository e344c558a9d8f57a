import { type Kysely, sql } from 'kysely'

/**
 * A task's retry counter starts again when a reviewer asks for changes or a session is resumed,
 * while its attempts keep counting (each attempt is its own job and snapshot): `attempt_base` is
 * how many attempts the task had before its current run, so the retries used are
 * `retry_count - attempt_base`. And an index for the nav's count of tasks awaiting review.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agent_tasks')
    .addColumn('attempt_base', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempt_base >= 0`))
    .execute()
  // Every page's nav counts the tasks awaiting the viewer's review: only sessions awaiting one are read.
  await db.schema.createIndex('idx_sessions_awaiting_review').on('execution_sessions').column('team_id').where(sql<boolean>`awaiting = 'review'`).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_sessions_awaiting_review').execute()
  await db.schema.alterTable('agent_tasks').dropColumn('attempt_base').execute()
}

import type { Kysely } from 'kysely'

/**
 * The journal says who made each decision: a team member's decision records its author
 * (`user_id`, kept null for the rows written before this column and when the user is deleted).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('session_decisions')
    .addColumn('user_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('session_decisions').dropColumn('user_id').execute()
}

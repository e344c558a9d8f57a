import { type Kysely, sql } from 'kysely'

/**
 * Texts a snapshot refers to instead of copying them (issue 25): every agent's system prompt
 * starts with the team's shared instructions and ends with its role's instructions, the same
 * ~2 KB in every session. A snapshot's `context_state.prompt.system_parts` names them by
 * their SHA-256 (`{ "text_ref": hash }`) beside the session's own text; each distinct text
 * is written once (`on conflict do nothing`) and never changed or deleted. Snapshots written
 * before keep `prompt.system` whole; readers (latestSnapshot) expand the parts back into it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('snapshot_texts')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('snapshot_texts').execute()
}

import type { Kysely } from 'kysely'

/**
 * The session lists (`/sessions`, a team's page, `GET /api/sessions`) read `where team_id in (…)
 * [and id < cursor] order by id desc limit n`: an index on (team_id, id) answers one team's page
 * in order, and the primary key walks the mixed list backwards from the cursor. The seed's index
 * on team_id alone stays: the schema keeps the seed's named indexes (test/db/schema.test.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_sessions_team_id_id').on('execution_sessions').columns(['team_id', 'id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('idx_sessions_team_id_id').execute()
}

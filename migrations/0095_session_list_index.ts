import type { Kysely } from 'kysely'

/**
 * The session lists (`/sessions`, a team's page, `GET /api/sessions`) read `where team_id in (…)
 * [and id < cursor] order by id desc limit n`: an index on (team_id, id) answers one team's page
 * in order, and the primary key walks the mixed list backwards from the cursor. The index on
 * team_id alone is its prefix, so it goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_sessions_team_id_id').on('execution_sessions').columns(['team_id', 'id']).execute()
  await db.schema.dropIndex('idx_sessions_team').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('idx_sessions_team').on('execution_sessions').column('team_id').execute()
  await db.schema.dropIndex('idx_sessions_team_id_id').execute()
}

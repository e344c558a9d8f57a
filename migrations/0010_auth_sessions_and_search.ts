import { type Kysely, sql } from 'kysely'

/**
 * What accounts and the JSON API need beyond the seed:
 * - `auth_sessions`: login sessions of the embedded default (Redis holds them when
 *   configured). The primary key is the SHA-256 of the cookie's secret, never the secret.
 * - `rate_limits`: fixed-window counters for login and signup when there is no Redis.
 * - case-insensitive uniqueness of usernames and emails (`Alice` and `alice` are one account).
 * - a GIN index for decision full-text search, and indexes on the foreign keys that the
 *   access checks and cascading deletes walk.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('idx_auth_sessions_user').on('auth_sessions').column('user_id').execute()
  await db.schema.createIndex('idx_auth_sessions_expires').on('auth_sessions').column('expires_at').execute()

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'timestamptz', (c) => c.notNull())
    .execute()

  await sql`create unique index users_username_lower_key on users (lower(username))`.execute(db)
  await sql`create unique index users_email_lower_key on users (lower(email))`.execute(db)

  await sql`create index idx_session_decisions_fts on session_decisions using gin (to_tsvector('english', decision_text))`.execute(db)
  await db.schema.createIndex('idx_session_decisions_session').on('session_decisions').column('session_id').execute()
  await db.schema.createIndex('idx_task_decisions_task').on('task_decisions').column('agent_task_id').execute()
  await db.schema.createIndex('idx_agent_snapshots_task').on('agent_snapshots').column('agent_task_id').execute()
  await db.schema.createIndex('idx_team_memberships_user').on('team_memberships').column('user_id').execute()
  await db.schema.createIndex('idx_sessions_user').on('execution_sessions').column('user_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const index of [
    'idx_sessions_user',
    'idx_team_memberships_user',
    'idx_agent_snapshots_task',
    'idx_task_decisions_task',
    'idx_session_decisions_session',
    'idx_session_decisions_fts',
    'users_email_lower_key',
    'users_username_lower_key',
  ]) {
    await db.schema.dropIndex(index).ifExists().execute()
  }
  await db.schema.dropTable('rate_limits').ifExists().execute()
  await db.schema.dropTable('auth_sessions').ifExists().execute()
}

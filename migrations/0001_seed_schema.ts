import { type Kysely, sql } from 'kysely'

/**
 * The seed's schema, table for table and column for column, with its unique
 * constraints, foreign keys and five named indexes. Deviations, each deliberate:
 * ids are identity BIGINTs, timestamps are `timestamptz` (instants, not wall-clock
 * readings), JSON columns are `jsonb`, and the foreign keys under a team cascade so
 * that deleting a team takes its sessions and their records with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`now()`

  await db.schema
    .createTable('users')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('username', 'varchar(255)', (c) => c.notNull())
    .addColumn('email', 'varchar(255)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('users_username_key', ['username'])
    .addUniqueConstraint('users_email_key', ['email'])
    .execute()

  await db.schema
    .createTable('teams')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('owner_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('is_shared', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('description', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema.createIndex('idx_teams_owner').on('teams').column('owner_id').execute()

  await db.schema
    .createTable('team_memberships')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'varchar(50)', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('team_memberships_team_id_user_id_key', ['team_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('execution_sessions')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('feature_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('status', 'varchar(50)', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('duration_seconds', 'integer')
    .addColumn('celery_chain_id', 'varchar(255)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema.createIndex('idx_sessions_team').on('execution_sessions').column('team_id').execute()
  await db.schema.createIndex('idx_sessions_status').on('execution_sessions').column('status').execute()

  await db.schema
    .createTable('session_decisions')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('session_id', 'bigint', (c) => c.notNull().references('execution_sessions.id').onDelete('cascade'))
    .addColumn('decision_text', 'text', (c) => c.notNull())
    .addColumn('category', 'varchar(100)')
    .addColumn('confidence', 'varchar(50)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()

  await db.schema
    .createTable('agent_tasks')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('session_id', 'bigint', (c) => c.notNull().references('execution_sessions.id').onDelete('cascade'))
    .addColumn('agent_role', 'varchar(100)', (c) => c.notNull())
    .addColumn('task_description', 'text')
    .addColumn('input_data', 'jsonb')
    .addColumn('output_data', 'jsonb')
    .addColumn('status', 'varchar(50)', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('duration_seconds', 'integer')
    .addColumn('error_message', 'text')
    .addColumn('retry_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('celery_task_id', 'varchar(255)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
  await db.schema.createIndex('idx_agent_tasks_session').on('agent_tasks').column('session_id').execute()
  await db.schema.createIndex('idx_agent_tasks_status').on('agent_tasks').column('status').execute()

  await db.schema
    .createTable('task_decisions')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('agent_task_id', 'bigint', (c) => c.notNull().references('agent_tasks.id').onDelete('cascade'))
    .addColumn('decision_text', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text')
    .addColumn('category', 'varchar(100)')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()

  await db.schema
    .createTable('agent_snapshots')
    .addColumn('id', 'bigint', (c) => c.generatedByDefaultAsIdentity().primaryKey())
    .addColumn('agent_task_id', 'bigint', (c) => c.notNull().references('agent_tasks.id').onDelete('cascade'))
    .addColumn('agent_role', 'varchar(100)', (c) => c.notNull())
    .addColumn('context_state', 'jsonb')
    .addColumn('capabilities', 'jsonb')
    .addColumn('decisions', 'jsonb')
    .addColumn('execution_metadata', 'jsonb')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'agent_snapshots',
    'task_decisions',
    'agent_tasks',
    'session_decisions',
    'execution_sessions',
    'team_memberships',
    'teams',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}

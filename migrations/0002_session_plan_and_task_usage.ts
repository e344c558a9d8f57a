import { type Kysely, sql } from 'kysely'

/**
 * Columns the API needs beyond the seed: a session's description and plan, a task's
 * model and token usage (and cost when the model's price is known), and CHECK
 * constraints so a status can only hold a value the state machines know.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('execution_sessions')
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('plan', 'varchar(20)', (c) => c.notNull().defaultTo('dag'))
    .execute()
  await db.schema
    .alterTable('execution_sessions')
    .addCheckConstraint('execution_sessions_plan_check', sql`plan in ('dag', 'parallel', 'sequential')`)
    .execute()
  await db.schema
    .alterTable('execution_sessions')
    .addCheckConstraint('execution_sessions_status_check', sql`status in ('active', 'completed', 'failed', 'cancelled')`)
    .execute()

  await db.schema
    .alterTable('agent_tasks')
    .addColumn('model', 'varchar(255)')
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cost_usd', 'double precision')
    .execute()
  await db.schema
    .alterTable('agent_tasks')
    .addCheckConstraint(
      'agent_tasks_status_check',
      sql`status in ('pending', 'running', 'completed', 'failed', 'skipped', 'cancelled')`,
    )
    .execute()

  await db.schema
    .alterTable('team_memberships')
    .addCheckConstraint('team_memberships_role_check', sql`role in ('owner', 'member', 'viewer')`)
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('team_memberships').dropConstraint('team_memberships_role_check').execute()
  await db.schema.alterTable('agent_tasks').dropConstraint('agent_tasks_status_check').execute()
  await db.schema
    .alterTable('agent_tasks')
    .dropColumn('model')
    .dropColumn('input_tokens')
    .dropColumn('output_tokens')
    .dropColumn('cost_usd')
    .execute()
  await db.schema.alterTable('execution_sessions').dropConstraint('execution_sessions_status_check').execute()
  await db.schema.alterTable('execution_sessions').dropConstraint('execution_sessions_plan_check').execute()
  await db.schema.alterTable('execution_sessions').dropColumn('description').dropColumn('plan').execute()
}

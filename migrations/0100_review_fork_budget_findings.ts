import { type Kysely, sql } from 'kysely'

/**
 * The columns and tables of the iteration loop, cost governance and cross-role consistency
 * (DESIGN.md; API.md's `team.settings`, `session`, `task`, `review` and `finding`):
 * - a team's defaults for its new sessions: which roles need review, the confidence below which an
 *   output needs review, the session budget and the monthly budget;
 * - a session's parent and the role it was forked from, its review setting and budget, its
 *   consistency score, and what it waits for (`awaiting`: a human's review or a bigger budget);
 * - a task's origin when a fork copied it, the feedback its next attempt gets (a reviewer's or a
 *   fork's), its cached input tokens, and the two waiting statuses;
 * - one row per verdict (`task_reviews`: at most one per attempt) and per finding.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('teams')
    .addColumn('review', 'jsonb', (c) => c.notNull().defaultTo(sql`'"none"'::jsonb`))
    .addColumn('review_below_confidence', 'double precision')
    .addColumn('session_budget_usd', 'double precision')
    .addColumn('monthly_budget_usd', 'double precision')
    .execute()
  await db.schema
    .alterTable('teams')
    .addCheckConstraint(
      'teams_settings_check',
      sql`(review_below_confidence is null or review_below_confidence between 0 and 1)
        and (session_budget_usd is null or session_budget_usd between 0 and 1000000)
        and (monthly_budget_usd is null or monthly_budget_usd between 0 and 1000000)`,
    )
    .execute()

  await db.schema
    .alterTable('execution_sessions')
    .addColumn('parent_id', 'bigint', (c) => c.references('execution_sessions.id').onDelete('set null'))
    .addColumn('forked_from_role', 'varchar(50)')
    .addColumn('review', 'jsonb', (c) => c.notNull().defaultTo(sql`'"none"'::jsonb`))
    .addColumn('review_below_confidence', 'double precision')
    .addColumn('budget_usd', 'double precision')
    .addColumn('consistency_score', 'integer')
    .addColumn('awaiting', 'varchar(20)')
    .execute()
  await db.schema
    .alterTable('execution_sessions')
    .addCheckConstraint(
      'execution_sessions_iteration_check',
      sql`(awaiting is null or awaiting in ('review', 'budget'))
        and (consistency_score is null or consistency_score between 0 and 100)
        and (budget_usd is null or budget_usd between 0 and 1000000)`,
    )
    .execute()
  await db.schema.createIndex('idx_sessions_parent').on('execution_sessions').column('parent_id').where(sql.ref('parent_id'), 'is not', null).execute()

  await db.schema
    .alterTable('agent_tasks')
    .addColumn('reused_from_task_id', 'bigint', (c) => c.references('agent_tasks.id').onDelete('set null'))
    .addColumn('feedback', 'text')
    .addColumn('cached_input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('agent_tasks').dropConstraint('agent_tasks_status_check').execute()
  await db.schema
    .alterTable('agent_tasks')
    .addCheckConstraint(
      'agent_tasks_status_check',
      sql`status in ('pending', 'running', 'completed', 'failed', 'skipped', 'cancelled', 'awaiting_review', 'awaiting_budget')`,
    )
    .execute()

  await db.schema
    .createTable('task_reviews')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('task_id', 'bigint', (c) => c.notNull().references('agent_tasks.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull().check(sql`attempt >= 1`))
    .addColumn('reviewer_id', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reviewer', 'varchar(50)', (c) => c.notNull())
    .addColumn('verdict', 'varchar(20)', (c) => c.notNull().check(sql`verdict in ('approve', 'changes', 'reject')`))
    .addColumn('comment', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('task_reviews_one_per_attempt', ['task_id', 'attempt'])
    .execute()

  await db.schema
    .createTable('consistency_findings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('session_id', 'bigint', (c) => c.notNull().references('execution_sessions.id').onDelete('cascade'))
    .addColumn('rule', 'varchar(100)', (c) => c.notNull())
    .addColumn('severity', 'varchar(20)', (c) => c.notNull().check(sql`severity in ('error', 'warning')`))
    .addColumn('roles', 'jsonb', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull().defaultTo('open').check(sql`status in ('open', 'resolved', 'dismissed')`))
    .addColumn('note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('idx_findings_session').on('consistency_findings').column('session_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('consistency_findings').execute()
  await db.schema.dropTable('task_reviews').execute()
  await db.schema.alterTable('agent_tasks').dropConstraint('agent_tasks_status_check').execute()
  await db.schema
    .alterTable('agent_tasks')
    .addCheckConstraint('agent_tasks_status_check', sql`status in ('pending', 'running', 'completed', 'failed', 'skipped', 'cancelled')`)
    .execute()
  await db.schema.alterTable('agent_tasks').dropColumn('reused_from_task_id').dropColumn('feedback').dropColumn('cached_input_tokens').execute()
  await db.schema.dropIndex('idx_sessions_parent').execute()
  await db.schema.alterTable('execution_sessions').dropConstraint('execution_sessions_iteration_check').execute()
  await db.schema
    .alterTable('execution_sessions')
    .dropColumn('parent_id')
    .dropColumn('forked_from_role')
    .dropColumn('review')
    .dropColumn('review_below_confidence')
    .dropColumn('budget_usd')
    .dropColumn('consistency_score')
    .dropColumn('awaiting')
    .execute()
  await db.schema.alterTable('teams').dropConstraint('teams_settings_check').execute()
  await db.schema
    .alterTable('teams')
    .dropColumn('review')
    .dropColumn('review_below_confidence')
    .dropColumn('session_budget_usd')
    .dropColumn('monthly_budget_usd')
    .execute()
}

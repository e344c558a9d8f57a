import { type Kysely, sql } from 'kysely'

/**
 * Cost governance (DESIGN.md "Cost governance"): what a team has spent and reserved in each
 * month (UTC), and the reservation each started task holds until it finishes.
 * - `team_budget_months`: one row per team and month. The supervisor reserves a task's estimate
 *   with a conditional `update … set reserved_usd = reserved_usd + $est where spent_usd +
 *   reserved_usd + $est <= $budget`: the row lock serialises sessions on every node.
 * - `task_budget_reservations`: at most one per task (its primary key), inserted in the commit
 *   that starts the task, deleted in the commit that records its end (completed: its cost moves
 *   to `spent_usd`; failed, skipped or cancelled: released). Amounts are `numeric` so sums of
 *   many reservations do not drift.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('team_budget_months')
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('spent_usd', 'numeric(20, 8)', (c) => c.notNull().defaultTo(0))
    .addColumn('reserved_usd', 'numeric(20, 8)', (c) => c.notNull().defaultTo(0).check(sql`reserved_usd >= 0`))
    .addPrimaryKeyConstraint('team_budget_months_pkey', ['team_id', 'month'])
    .execute()
  await db.schema
    .createTable('task_budget_reservations')
    .addColumn('task_id', 'bigint', (c) => c.primaryKey().references('agent_tasks.id').onDelete('cascade'))
    .addColumn('session_id', 'bigint', (c) => c.notNull().references('execution_sessions.id').onDelete('cascade'))
    .addColumn('team_id', 'bigint', (c) => c.notNull())
    .addColumn('month', 'date', (c) => c.notNull())
    .addColumn('amount_usd', 'numeric(20, 8)', (c) => c.notNull().check(sql`amount_usd >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('idx_budget_reservations_session').on('task_budget_reservations').column('session_id').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('task_budget_reservations').execute()
  await db.schema.dropTable('team_budget_months').execute()
}

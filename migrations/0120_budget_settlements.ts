import { type Kysely, sql } from 'kysely'

/**
 * Budgets without a second lock per task (issue 17's bench): a task's end no longer updates its
 * team's month row, which every session of the team locks to reserve.
 * - `task_budget_settlements`: appended by the statement that records a task's success (its
 *   cost, in its reservation's month), only while the team has a month row. Nobody locks it: the
 *   next reserver, which holds the month row's lock anyway, folds the month's settlements into
 *   `spent_usd` and deletes them in its transaction (budget-reserve.ts).
 * - `team_budget_months.reserved_usd` goes: what a team holds reserved is the sum of its month's
 *   reservation rows (one per running task), which the task's end deletes without the lock.
 * - `team_budget_ledger`: a month's spent (folded plus not yet folded) and reserved, derived.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('task_budget_settlements')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    // No foreign key to the month row: checking one would lock it (FOR KEY SHARE) from every task's end.
    .addColumn('team_id', 'bigint', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('month', 'date', (c) => c.notNull())
    // The task it settles, for the record (no foreign key: a deleted session's spend stays spent).
    .addColumn('task_id', 'bigint', (c) => c.notNull())
    .addColumn('cost_usd', 'numeric(20, 8)', (c) => c.notNull().check(sql`cost_usd >= 0`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('idx_budget_settlements_month').on('task_budget_settlements').columns(['team_id', 'month']).execute()
  await db.schema.createIndex('idx_budget_reservations_month').on('task_budget_reservations').columns(['team_id', 'month']).execute()
  await db.schema.alterTable('team_budget_months').dropColumn('reserved_usd').execute()
  // Both tables are a few live rows over many deleted ones: vacuum must not take the exclusive
  // lock that truncating their empty tail needs while tasks start and end.
  await sql`alter table task_budget_settlements set (vacuum_truncate = false)`.execute(db)
  await sql`alter table task_budget_reservations set (vacuum_truncate = false)`.execute(db)
  await sql`create view team_budget_ledger as
    select m.team_id, m.month,
      m.spent_usd + coalesce((select sum(s.cost_usd) from task_budget_settlements s where s.team_id = m.team_id and s.month = m.month), 0) as spent_usd,
      coalesce((select sum(r.amount_usd) from task_budget_reservations r where r.team_id = m.team_id and r.month = m.month), 0) as reserved_usd
    from team_budget_months m`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop view team_budget_ledger`.execute(db)
  await db.schema
    .alterTable('team_budget_months')
    .addColumn('reserved_usd', 'numeric(20, 8)', (c) => c.notNull().defaultTo(0).check(sql`reserved_usd >= 0`))
    .execute()
  await sql`update team_budget_months m set
    spent_usd = m.spent_usd + coalesce((select sum(s.cost_usd) from task_budget_settlements s where s.team_id = m.team_id and s.month = m.month), 0),
    reserved_usd = coalesce((select sum(r.amount_usd) from task_budget_reservations r where r.team_id = m.team_id and r.month = m.month), 0)`.execute(db)
  await sql`alter table task_budget_reservations reset (vacuum_truncate)`.execute(db)
  await db.schema.dropIndex('idx_budget_reservations_month').execute()
  await db.schema.dropTable('task_budget_settlements').execute()
}

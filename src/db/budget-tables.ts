import type { ColumnType } from 'kysely'

/** `numeric` columns: read as text by the drivers (cast to float8 in queries that need numbers). */
type Numeric = ColumnType<string, string | number | undefined, string | number>

/**
 * A team's month (UTC), migrations 0110 and 0120: the row its reservers lock, and what the month
 * spent up to the last fold of its settlements (`team_budget_ledger` adds the rest and the reserved).
 */
export interface TeamBudgetMonthsTable {
  team_id: number
  /** The first day of the month. */
  month: ColumnType<Date, Date | string, Date | string>
  spent_usd: Numeric
}

/** A completed task's cost, not yet folded into its team's month row (migration 0120). */
export interface TaskBudgetSettlementsTable {
  id: ColumnType<number, never, never>
  team_id: number
  month: ColumnType<Date, Date | string, Date | string>
  task_id: number
  cost_usd: Numeric
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** The view of a team's month: spent (folded and not) and reserved (its reservation rows). */
export interface TeamBudgetLedgerView {
  team_id: ColumnType<number, never, never>
  month: ColumnType<Date, never, never>
  spent_usd: ColumnType<string, never, never>
  reserved_usd: ColumnType<string, never, never>
}

/** The estimate a started task holds against its session's and its team's budgets until it ends. */
export interface TaskBudgetReservationsTable {
  task_id: number
  session_id: number
  team_id: number
  month: ColumnType<Date, Date | string, Date | string>
  amount_usd: Numeric
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** Tables of cost governance. */
export interface BudgetTables {
  team_budget_months: TeamBudgetMonthsTable
  task_budget_reservations: TaskBudgetReservationsTable
  task_budget_settlements: TaskBudgetSettlementsTable
  team_budget_ledger: TeamBudgetLedgerView
}

import type { ColumnType } from 'kysely'

/** `numeric` columns: read as text by the drivers (cast to float8 in queries that need numbers). */
type Numeric = ColumnType<string, string | number | undefined, string | number>

/** What a team spent and holds reserved in one month (UTC), migration 0110. */
export interface TeamBudgetMonthsTable {
  team_id: number
  /** The first day of the month. */
  month: ColumnType<Date, Date | string, Date | string>
  spent_usd: Numeric
  reserved_usd: Numeric
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
}

/** Why a task did not start: with its estimate it would pass this budget (the `budget_exceeded` event's data). */
export interface BudgetDenial {
  /** The session's `budget_usd`, or the team's `monthly_budget_usd` over the current month (UTC). */
  scope: 'session' | 'team_month'
  budgetUsd: number
  /** Spent plus reserved in that scope when the task asked. */
  spentUsd: number
  estimateUsd: number
}

import type { EventData } from '../events/index.ts'
import type { SupervisorCommand } from './supervisor-state.ts'

/** The `budget_exceeded` event of a task that waits for a budget. */
export function budgetExceededData(command: Extract<SupervisorCommand, { type: 'task_awaiting_budget' }>): EventData<'budget_exceeded'> {
  const { denial } = command
  return {
    task_id: command.taskId,
    agent_role: command.role,
    scope: denial.scope,
    budget_usd: denial.budgetUsd,
    spent_usd: denial.spentUsd,
    estimate_usd: denial.estimateUsd,
  }
}

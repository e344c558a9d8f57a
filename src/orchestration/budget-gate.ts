import type { AgentRole } from '../agents/index.ts'
import type { BudgetDenial } from './budget-denial.ts'
import { awaitingOf, type SupervisorCommand, type SupervisorState, type SupervisorStep } from './supervisor-state.ts'

/**
 * The budget gate's pure half. How a budget stays equal to the rows:
 * 1. the pure core decides a step as if money were no object (`run_task` for every ready task);
 * 2. the actor asks PostgreSQL, in the step's own transaction, to reserve each first attempt's
 *    estimate (budget-reserve.ts: a conditional update of the team's month row, which a row lock
 *    serialises across nodes, plus the session's own sums);
 * 3. the denied ones come back here: their `run_task` becomes `task_awaiting_budget`, their
 *    state `awaiting_budget`, and the session's `awaiting` is derived again.
 * The reservation rows and the step's rows then commit together (or not at all), and
 * `ctx.state` is set from this function's result, so it never says more than the rows.
 */

/**
 * The tasks a step starts afresh (from pending, a budget wait or a reviewer's `changes`): each must
 * reserve its estimate before it runs. A retry of a failed attempt keeps the reservation it has.
 * Told apart by the task's status before the step, not by the attempt number: a resumed task goes
 * on counting its attempts.
 */
export function firstStarts(step: SupervisorStep, before: SupervisorState): Array<{ role: AgentRole; taskId: number }> {
  const was = new Map(before.tasks.map((t) => [t.taskId, t.status]))
  return step.commands.flatMap((c) => (c.type === 'run_task' && was.get(c.taskId) !== 'running' ? [{ role: c.role, taskId: c.taskId }] : []))
}

/**
 * The step once the denied tasks wait for a budget instead of starting. A task that already
 * waited (the budget was raised, but not enough) changes nothing and announces nothing again.
 */
export function applyBudgetDenials(before: SupervisorState, step: SupervisorStep, denied: ReadonlyMap<number, BudgetDenial>): SupervisorStep {
  if (denied.size === 0) return step
  const waitedBefore = new Set(before.tasks.filter((t) => t.status === 'awaiting_budget').map((t) => t.taskId))
  const state: SupervisorState = {
    ...step.state,
    // Not started: its attempt stays the last one it ran (what loading the row gives: retry_count).
    tasks: step.state.tasks.map((t) => (denied.has(t.taskId) ? { ...t, status: 'awaiting_budget', attempt: t.attempt - 1, waitingRetry: false } : t)),
  }
  const commands: SupervisorCommand[] = []
  for (const command of step.commands) {
    if (command.type === 'session_awaiting') continue
    const denial = command.type === 'run_task' ? denied.get(command.taskId) : undefined
    if (command.type === 'run_task' && denial) {
      if (!waitedBefore.has(command.taskId)) {
        commands.push({ type: 'task_awaiting_budget', role: command.role, taskId: command.taskId, attempt: command.attempt, denial })
      }
      continue
    }
    commands.push(command)
  }
  const awaiting = state.status === 'active' ? awaitingOf(state.tasks) : null
  if (awaiting !== before.awaiting) commands.push({ type: 'session_awaiting', awaiting })
  if (commands.length === 0) return { state: before, commands: [], ignored: 'stale' }
  return { state: { ...state, awaiting }, commands }
}

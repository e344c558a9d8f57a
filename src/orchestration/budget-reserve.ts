import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database, SessionPlan } from '../db/index.ts'
import { estimateSession, type RolePricing } from '../sessions/index.ts'
import type { BudgetDenial } from './budget-denial.ts'

type Trx = Transaction<Database>

/** USD as the budget tables hold it (numeric(20, 8)), as text for an exact `numeric` parameter. */
function usd(n: number): string {
  return (Math.round(n * 1e8) / 1e8).toFixed(8)
}

/** The first day (UTC) of `now`'s month: the key of the team's month row. */
export function budgetMonth(now: Date): string {
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`
}

/**
 * Reserves, in the caller's transaction (the supervision step's), the estimate of each task
 * the step starts for the first time, in order; returns the tasks that must wait instead.
 * Nothing is reserved while neither the session nor its team has a budget.
 * - Session budget: spent (its tasks' costs) + reserved (its reservations) + estimate. Only the
 *   session's own supervisor reserves for it, one message at a time, so reading is enough.
 * - Team month: one conditional `update … returning` on the team's month row, which sessions on
 *   every node share: the row lock serialises them, and a denied update changes nothing.
 * The reservation rows commit with the step (an inbox makes that once per message) and are
 * deleted in the commit that records the task's end (task-records.ts, session-records.ts).
 */
export async function reserveBudgets(
  trx: Trx,
  sessionId: number,
  starts: ReadonlyArray<{ role: AgentRole; taskId: number }>,
  pricing: RolePricing,
  now: Date,
): Promise<Map<number, BudgetDenial>> {
  const denied = new Map<number, BudgetDenial>()
  const { rows } = await sql<{ team_id: number; plan: SessionPlan; budget_usd: number | null; monthly_budget_usd: number | null; held: number }>`
    select s.team_id, s.plan, s.budget_usd, t.monthly_budget_usd,
      ((select coalesce(sum(coalesce(a.cost_usd, 0)), 0) from agent_tasks a where a.session_id = s.id)
        + (select coalesce(sum(r.amount_usd), 0) from task_budget_reservations r where r.session_id = s.id))::float8 as held
    from execution_sessions s join teams t on t.id = s.team_id where s.id = ${sessionId}`.execute(trx)
  const session = rows[0]
  if (!session || (session.budget_usd === null && session.monthly_budget_usd === null)) return denied
  const estimate = await estimateSession(trx, session.team_id, [...new Set(starts.map((s) => s.role))], session.plan, pricing)
  const costOf = new Map(estimate.by_role.map((r) => [r.agent_role, r.cost_usd]))
  const month = budgetMonth(now)
  // The month's row, counting what the team's tasks already cost this month when it is first made.
  await sql`insert into team_budget_months (team_id, month, spent_usd)
    select ${session.team_id}, ${month}::date, coalesce(sum(coalesce(a.cost_usd, 0)), 0)
    from agent_tasks a join execution_sessions s on s.id = a.session_id
    where s.team_id = ${session.team_id} and a.completed_at >= (${month}::date)::timestamp at time zone 'UTC'
    on conflict (team_id, month) do nothing`.execute(trx)
  let held = session.held
  for (const start of starts) {
    const est = Number(usd(costOf.get(start.role) ?? 0))
    if (session.budget_usd !== null && Number(usd(held + est)) > Number(usd(session.budget_usd))) {
      denied.set(start.taskId, { scope: 'session', budgetUsd: session.budget_usd, spentUsd: Number(usd(held)), estimateUsd: est })
      continue
    }
    const monthly = session.monthly_budget_usd === null ? null : usd(session.monthly_budget_usd)
    const reserved = await sql<{ held: number }>`
      update team_budget_months set reserved_usd = reserved_usd + ${usd(est)}::numeric
      where team_id = ${session.team_id} and month = ${month}::date
        and (${monthly}::numeric is null or spent_usd + reserved_usd + ${usd(est)}::numeric <= ${monthly}::numeric)
      returning (spent_usd + reserved_usd)::float8 as held`.execute(trx)
    if (reserved.rows.length === 0) {
      const { rows: monthRows } = await sql<{ held: number }>`select (spent_usd + reserved_usd)::float8 as held from team_budget_months
        where team_id = ${session.team_id} and month = ${month}::date`.execute(trx)
      const row = monthRows[0]
      denied.set(start.taskId, { scope: 'team_month', budgetUsd: session.monthly_budget_usd ?? 0, spentUsd: Number(row?.held ?? 0), estimateUsd: est })
      continue
    }
    await sql`insert into task_budget_reservations (task_id, session_id, team_id, month, amount_usd)
      values (${start.taskId}, ${sessionId}, ${session.team_id}, ${month}::date, ${usd(est)}::numeric)
      on conflict (task_id) do nothing`.execute(trx)
    held += est
  }
  return denied
}

/**
 * The writes that give back the reservations of tasks that ended without a cost (failed,
 * skipped, cancelled), for a supervision step's statement. Both read the reservations as they
 * were before the statement, so they work as sibling CTEs and, in this order, one by one.
 */
export function releaseReservations(taskIds: readonly number[]): RawBuilder<unknown>[] {
  return [
    sql`update team_budget_months m set reserved_usd = greatest(0, m.reserved_usd - r.total)
      from (select team_id, month, sum(amount_usd) as total from task_budget_reservations
        where task_id = any(${[...taskIds]}::bigint[]) group by team_id, month) r
      where m.team_id = r.team_id and m.month = r.month`,
    sql`delete from task_budget_reservations where task_id = any(${[...taskIds]}::bigint[])`,
  ]
}

/**
 * CTEs (each ending with a comma) for the statement that records a task's success, gated on
 * its `claimed` CTE: the task's cost moves into its team's month (the reservation's month, else
 * the current one) and its reservation goes. The claim matches once per attempt, whatever is
 * redelivered, so the cost is counted once.
 */
export function settleReservationCtes(taskId: number, sessionId: number, costUsd: number | null, now: Date): RawBuilder<unknown> {
  return sql`budget_settled as (
      update team_budget_months m set spent_usd = m.spent_usd + ${usd(costUsd ?? 0)}::numeric,
        reserved_usd = greatest(0, m.reserved_usd - coalesce((select amount_usd from task_budget_reservations where task_id = ${taskId}), 0))
      where exists (select 1 from claimed) and m.team_id = (select team_id from execution_sessions where id = ${sessionId})
        and m.month = coalesce((select month from task_budget_reservations where task_id = ${taskId}), ${budgetMonth(now)}::date)
    ), budget_released as (
      delete from task_budget_reservations where task_id = ${taskId} and exists (select 1 from claimed)
    ),`
}

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
 * - Team month (only while the team has a monthly budget): the team's month row is locked (FOR
 *   NO KEY UPDATE), which serialises the team's reservers on every node until their commit; then,
 *   in a statement of its own (so its snapshot sees every earlier holder's commit), the month's
 *   settlements are folded into `spent_usd` and spent + reserved (the sum of the month's
 *   reservation rows) is read. A task's end writes neither the month row nor its lock: it deletes
 *   its reservation and appends a settlement (`settleReservationCtes`), in one commit, so a
 *   reserver sees either the estimate or the cost, never both or neither.
 * Everything before the lock (the session's sums, the estimate) is read first, and when all the
 * step's starts fit, the fold, the read and the reservation rows are one statement: the lock is
 * held from the last two statements here to the step's commit.
 * The reservation rows commit with the step (an inbox makes that once per message).
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
  const wanted = starts.map((start) => ({ ...start, est: Number(usd(costOf.get(start.role) ?? 0)) }))
  const monthly = session.monthly_budget_usd === null ? null : Number(usd(session.monthly_budget_usd))
  // In order, as if each task that passes the session's budget also passes the month's.
  const decide = (teamHeld: number | null): Array<{ role: AgentRole; taskId: number; est: number }> => {
    denied.clear()
    let held = session.held
    let team = teamHeld
    const accepted: typeof wanted = []
    for (const start of wanted) {
      if (session.budget_usd !== null && Number(usd(held + start.est)) > Number(usd(session.budget_usd))) {
        denied.set(start.taskId, { scope: 'session', budgetUsd: session.budget_usd, spentUsd: Number(usd(held)), estimateUsd: start.est })
        continue
      }
      if (team !== null && monthly !== null) {
        if (Number(usd(team + start.est)) > monthly) {
          denied.set(start.taskId, { scope: 'team_month', budgetUsd: monthly, spentUsd: Number(usd(team)), estimateUsd: start.est })
          continue
        }
        team += start.est
      }
      accepted.push(start)
      held += start.est
    }
    return accepted
  }
  // The session's own budget first: no lock (only its supervisor reserves for it).
  const fitting = decide(null)
  if (fitting.length === 0) return denied
  const target = { sessionId, teamId: session.team_id, month }
  if (monthly === null) {
    await reserveRows(target, fitting, null).execute(trx)
    return denied
  }
  // The team's month: locked, then (a fresh snapshot) folded, read and, when all of them fit, reserved at once.
  const teamHeld = await lockTeamMonth(trx, target, fitting, monthly)
  if (teamHeld === 'reserved') return denied
  const accepted = decide(teamHeld)
  if (accepted.length > 0) await reserveRows(target, accepted, null).execute(trx)
  return denied
}

interface ReserveTarget {
  sessionId: number
  teamId: number
  month: string
}

/**
 * The insert of `starts`' reservation rows; with `held` (an SQL expression of the month's spent
 * + reserved), only when all of them fit under `monthly` together.
 */
function reserveRows(
  target: ReserveTarget,
  starts: ReadonlyArray<{ taskId: number; est: number }>,
  gate: { held: RawBuilder<unknown>; monthly: number } | null,
): RawBuilder<unknown> {
  const total = usd(starts.reduce((n, s) => n + s.est, 0))
  return sql`insert into task_budget_reservations (task_id, session_id, team_id, month, amount_usd)
    select r.task_id, ${target.sessionId}, ${target.teamId}, ${target.month}::date, r.amount
    from unnest(${starts.map((a) => a.taskId)}::bigint[], ${starts.map((a) => usd(a.est))}::numeric[]) as r(task_id, amount)
    ${gate ? sql`where ${gate.held} + ${total}::numeric <= ${usd(gate.monthly)}::numeric` : sql``}
    on conflict (task_id) do nothing`
}

/**
 * Locks the team's month row until the caller's commit (making it, from what the team's tasks
 * already cost this month, the first time); then, in one statement, folds the month's
 * settlements into it and reserves `starts` when they all fit. Returns 'reserved', or the
 * month's spent + reserved as the lock holder sees it (nothing reserved).
 */
async function lockTeamMonth(
  trx: Trx,
  target: ReserveTarget,
  starts: ReadonlyArray<{ taskId: number; est: number }>,
  monthly: number,
): Promise<number | 'reserved'> {
  const { teamId, month } = target
  const lock = () => sql`select 1 from team_budget_months where team_id = ${teamId} and month = ${month}::date for no key update`.execute(trx)
  if ((await lock()).rows.length === 0) {
    await sql`insert into team_budget_months (team_id, month, spent_usd)
      select ${teamId}, ${month}::date, coalesce(sum(coalesce(a.cost_usd, 0)), 0)
      from agent_tasks a join execution_sessions s on s.id = a.session_id
      where s.team_id = ${teamId} and a.completed_at >= (${month}::date)::timestamp at time zone 'UTC'
      on conflict (team_id, month) do nothing`.execute(trx)
    await lock()
  }
  // A new statement, a new snapshot: it sees the commits of everyone who held the lock before.
  const total = usd(starts.reduce((n, s) => n + s.est, 0))
  const { rows } = await sql<{ held: number; fits: boolean }>`
    with folded as (
      delete from task_budget_settlements where team_id = ${teamId} and month = ${month}::date returning cost_usd
    ), total as (
      select sum(cost_usd) as cost from folded
    ), spent as (
      update team_budget_months m set spent_usd = m.spent_usd + total.cost from total
      where total.cost is not null and m.team_id = ${teamId} and m.month = ${month}::date
      returning m.spent_usd
    ), held as (
      select coalesce((select spent_usd from spent), (select spent_usd from team_budget_months where team_id = ${teamId} and month = ${month}::date))
        + coalesce((select sum(amount_usd) from task_budget_reservations where team_id = ${teamId} and month = ${month}::date), 0) as usd
    ), reserved as (
      ${reserveRows(target, starts, { held: sql`(select usd from held)`, monthly })}
    )
    select (select usd from held)::float8 as held, (select usd from held) + ${total}::numeric <= ${usd(monthly)}::numeric as fits`.execute(trx)
  const row = rows[0]
  if (!row) return 0
  return row.fits ? 'reserved' : Number(row.held)
}

/**
 * The writes that give back the reservations of tasks that ended without a cost (failed,
 * skipped, cancelled), for a supervision step's statement: their rows go, and with them what
 * their team's month holds reserved (the month row is not touched, nor locked).
 */
export function releaseReservations(taskIds: readonly number[]): RawBuilder<unknown>[] {
  return [sql`delete from task_budget_reservations where task_id = any(${[...taskIds]}::bigint[])`]
}

/**
 * CTEs (each ending with a comma) for the statement that records a task's success, gated on
 * its `claimed` CTE: its reservation goes and its cost is appended as a settlement of its team's
 * month (the reservation's month, else the current one) when the team has that month's row; the
 * next reserver folds it into the row. No lock on the month row. The claim matches once per
 * attempt, whatever is redelivered, so the cost is counted once.
 */
export function settleReservationCtes(taskId: number, sessionId: number, costUsd: number | null, now: Date): RawBuilder<unknown> {
  return sql`budget_released as (
      delete from task_budget_reservations where task_id = ${taskId} and exists (select 1 from claimed) returning month
    ), budget_settled as (
      insert into task_budget_settlements (team_id, month, task_id, cost_usd)
      select m.team_id, m.month, ${taskId}, ${usd(costUsd ?? 0)}::numeric
      from team_budget_months m
      where exists (select 1 from claimed) and ${usd(costUsd ?? 0)}::numeric > 0
        and m.team_id = (select team_id from execution_sessions where id = ${sessionId})
        and m.month = coalesce((select month from budget_released), ${budgetMonth(now)}::date)
    ),`
}

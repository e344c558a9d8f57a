import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import type { SessionControl } from './session-control.ts'

/**
 * Sets a session's budget and, in the same transaction, tells its supervisor to try its waiting
 * tasks again when it waits for a budget. Returns false when the session does not exist.
 */
export async function setSessionBudget(db: Kysely<Database>, control: SessionControl, sessionId: number, budgetUsd: number | null): Promise<boolean> {
  const after = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const row = await trx
      .updateTable('execution_sessions')
      .set({ budget_usd: budgetUsd })
      .where('id', '=', sessionId)
      .returning(['status', 'awaiting'])
      .executeTakeFirst()
    if (!row) return null
    if (row.status !== 'active' || row.awaiting !== 'budget') return async () => {}
    return (await control.budgetRaised(trx, [sessionId])) ?? (async () => {})
  })
  if (!after) return false
  await after()
  return true
}

/**
 * After a team's budgets changed: every active session of the team that waits for a budget is
 * told to try again (a raised monthly budget may let all of them go on). Sessions still short
 * wait on, announcing nothing new.
 */
export async function wakeTeamBudgetWaiters(db: Kysely<Database>, control: SessionControl, teamId: number): Promise<number> {
  const after = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const rows = await trx
      .selectFrom('execution_sessions')
      .select('id')
      .where('team_id', '=', teamId)
      .where('status', '=', 'active')
      .where('awaiting', '=', 'budget')
      .execute()
    if (rows.length === 0) return { count: 0, run: null }
    return { count: rows.length, run: await control.budgetRaised(trx, rows.map((r) => r.id)) }
  })
  await after.run?.()
  return after.count
}

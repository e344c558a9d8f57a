/**
 * The team's month ledger on PostgreSQL, at the level of its statements: a task's end (success or
 * release) never waits for the month row's lock that a reserver holds until its commit, and the
 * next reserver, under that lock, counts the ended task's cost (not its estimate) exactly once.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type Kysely, sql, type Transaction } from 'kysely'
import { type AgentRole, createPriceTable } from '../../src/agents/index.ts'
import { connectDatabase, type Database, type DatabaseHandle } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { recordTaskResult, type TaskResultRecord } from '../../src/orchestration/index.ts'
import { releaseReservations, reserveBudgets } from '../../src/orchestration/budget-reserve.ts'
import { DEFAULT_ROLE_TOKENS, roleModels } from '../../src/sessions/index.ts'
import { testConfig } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { MODEL_PRICES, simCost, sumUsd, teamLedger } from './support.ts'

setDefaultTimeout(60_000)

const { postgresUrl } = testServices()
const pricing = { modelOf: roleModels(testConfig()), prices: createPriceTable(MODEL_PRICES) }
const ROLES: AgentRole[] = ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer']
/** Each role's estimate for a team without history. */
const EST = simCost(DEFAULT_ROLE_TOKENS.input_tokens, DEFAULT_ROLE_TOKENS.output_tokens)
const COST = 0.05

/** Waiting for a lock is an error here, not a pause: a statement that would queue behind the month's lock fails. */
async function withoutWaiting<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = '5s'`.execute(trx)
    return fn(trx)
  })
}

describe.skipIf(!postgresUrl)('the team month ledger (postgres)', () => {
  let handle: DatabaseHandle
  beforeAll(async () => {
    handle = await connectDatabase({ databaseUrl: postgresUrl as string, log: silentLogger(), poolSize: 5 })
  })
  afterAll(() => handle.close())

  it('lets tasks end while a reserver holds the month, and counts their cost once, folded by the next reserver', async () => {
    const db = handle.db
    const tag = `ledger${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
    const user = await db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
    // Room for the settled cost and two estimates, a hair short of three.
    const budget = sumUsd([COST, EST, EST]) - 0.00000001
    const team = await db.insertInto('teams').values({ name: tag, owner_id: user.id, monthly_budget_usd: 1 }).returning('id').executeTakeFirstOrThrow()
    const session = await db
      .insertInto('execution_sessions')
      .values({ team_id: team.id, user_id: user.id, feature_name: tag, status: 'active', plan: 'parallel', started_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
    const tasks = await db
      .insertInto('agent_tasks')
      .values(ROLES.map((role) => ({ session_id: session.id, agent_role: role, status: 'pending' as const, task_description: role })))
      .returning(['id', 'agent_role'])
      .execute()
    const [architect, backend, dba, frontend] = tasks.map((t) => ({ role: t.agent_role as AgentRole, taskId: t.id })) as [
      { role: AgentRole; taskId: number },
      { role: AgentRole; taskId: number },
      { role: AgentRole; taskId: number },
      { role: AgentRole; taskId: number },
    ]
    const reserve = (trx: Transaction<Database>, starts: Array<{ role: AgentRole; taskId: number }>) => reserveBudgets(trx, session.id, starts, pricing, new Date())
    const run = (ids: number[]) => db.updateTable('agent_tasks').set({ status: 'running', started_at: new Date(), retry_count: 0 }).where('id', 'in', ids).execute()
    /** The first task's success, as its agent records it (the same job each time it is delivered). */
    const success: TaskResultRecord = {
      sessionId: session.id, taskId: architect.taskId, role: architect.role, attempt: 1, now: new Date(), jobId: `run-agent:${architect.taskId}:1`,
      outputJson: JSON.stringify({ decisions: [] }), decisions: [], model: 'simulated', provider: 'simulated',
      inputTokens: 10_000, outputTokens: 3000, costUsd: COST, durationMs: 5, repaired: false,
      contextJson: '{}', capabilities: [], nodeId: 'ledger-test',
    }

    // Two tasks start: both reserve their estimate (the month row is made on the way).
    expect((await db.transaction().execute((trx) => reserve(trx, [architect, backend]))).size).toBe(0)
    await run([architect.taskId, backend.taskId])
    expect(await teamLedger(db, team.id)).toEqual({ months: [{ spent: 0, reserved: sumUsd([EST, EST]) }], reservations: 2 })
    await db.updateTable('teams').set({ monthly_budget_usd: budget }).where('id', '=', team.id).execute()

    // A third starts, in a step that holds the month's lock until it commits...
    let commitHolder!: () => void
    const held = new Promise<void>((resolve) => {
      commitHolder = resolve
    })
    let holding!: () => void
    const locked = new Promise<void>((resolve) => {
      holding = resolve
    })
    const holder = db.transaction().execute(async (trx) => {
      const denied = await reserve(trx, [dba])
      holding()
      await held
      return denied
    })
    await locked
    // ...meanwhile the first succeeds and the second fails: neither waits for that lock.
    const ended = async () => {
      const event = await withoutWaiting(db, (trx) => recordTaskResult(trx, success))
      expect(event?.type).toBe('task_completed')
      await withoutWaiting(db, async (trx) => {
        for (const write of releaseReservations([backend.taskId])) await write.execute(trx)
      })
    }
    await ended().finally(() => commitHolder())
    expect((await holder).size).toBe(0)

    // The ledger: the cost (not the estimate) is spent, the third's estimate is reserved.
    expect(await teamLedger(db, team.id)).toEqual({ months: [{ spent: COST, reserved: EST }], reservations: 1 })
    const settlements = () => db.selectFrom('task_budget_settlements').select(['task_id', 'cost_usd']).where('team_id', '=', team.id).execute()
    expect((await settlements()).map((s) => [s.task_id, Number(s.cost_usd)])).toEqual([[architect.taskId, COST]])

    // A redelivered success records nothing and settles nothing again.
    const again = await withoutWaiting(db, (trx) => recordTaskResult(trx, success))
    expect(again).toBeNull()
    expect(await settlements()).toHaveLength(1)

    // The next reserver folds the settlement into the month row and counts spent + reserved + estimate:
    // the fourth would pass the budget by a hair, so it waits.
    const denied = await db.transaction().execute((trx) => reserve(trx, [frontend]))
    expect(denied.get(frontend.taskId)).toEqual({ scope: 'team_month', budgetUsd: budget, spentUsd: sumUsd([COST, EST]), estimateUsd: EST })
    expect(await settlements()).toHaveLength(0)
    const month = await db.selectFrom('team_budget_months').select('spent_usd').where('team_id', '=', team.id).executeTakeFirstOrThrow()
    expect(Number(month.spent_usd)).toBe(COST)
    expect(await teamLedger(db, team.id)).toEqual({ months: [{ spent: COST, reserved: EST }], reservations: 1 })
  })
})

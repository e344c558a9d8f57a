import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createPriceTable } from '../../src/agents/index.ts'
import type { AgentRole } from '../../src/agents/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { setSessionBudget } from '../../src/orchestration/index.ts'
import { estimateSession, roleModels } from '../../src/sessions/index.ts'
import { testConfig, testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { eventTypes, newTeam, type OrchestrationNode, startOrchestrationNode, startSession, until, waitForEnd } from '../orchestration/support.ts'
import { budgetTasks, MODEL_PRICES, simCost, sumUsd, teamLedger } from './support.ts'

setDefaultTimeout(120_000)

const { redisUrl, redisPrefix } = testServices()
const ROLES: AgentRole[] = ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer']
const FEATURE = { feature_name: 'Invoice export to CSV', description: 'Finance users export filtered invoices as CSV files.', plan: 'sequential' as const, agents: ROLES }
const pricing = { modelOf: roleModels(testConfig()), prices: createPriceTable(MODEL_PRICES) }

for (const engine of testEngines()) {
  const transport = engine.name === 'postgres' && redisUrl ? 'Redis Streams' : 'in-process'
  describe(`a session budget (${engine.name}, ${transport}, simulated at a price)`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: transport === 'Redis Streams' ? `${redisPrefix}budget${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { SIM_LATENCY_MS: '0', MODEL_PRICES },
      })
    })
    afterAll(async () => {
      await orch.stop()
      await db.close()
    })

    it('runs the tasks the budget covers, waits, goes on when the owner raises it, and counts each cost once', async () => {
      const owner = await newTeam(db.db)
      // History: one unbudgeted session, so the estimate is the team's mean tokens per role.
      const first = await startSession(db.db, orch.control, owner, FEATURE)
      expect(await waitForEnd(db.db, first)).toBe('completed')
      const history = await budgetTasks(db.db, first)
      for (const t of history) expect(t.cost_usd).toBe(simCost(t.input_tokens, t.output_tokens))
      expect(history.every((t) => (t.cost_usd ?? 0) > 0)).toBe(true)

      const estimate = await estimateSession(db.db, owner.teamId, ROLES, 'sequential', pricing)
      expect(estimate.by_role.every((r) => r.basis === 'team_history')).toBe(true)

      // A budget that covers the first three tasks, not the fourth.
      const budget = sumUsd(history.slice(0, 3).map((t) => t.cost_usd))
      // And a monthly budget far above it, as a team paying the bill would have: its month row is made
      // at the first reservation (a team without one keeps none), counting the history's costs.
      await db.db.updateTable('teams').set({ session_budget_usd: budget, monthly_budget_usd: 1000 }).where('id', '=', owner.teamId).execute()
      const sid = await startSession(db.db, orch.control, owner, FEATURE)
      await until('the fourth task to wait for a budget', async () => (await budgetTasks(db.db, sid)).some((t) => t.status === 'awaiting_budget'), 30_000)
      const waiting = await budgetTasks(db.db, sid)
      expect(waiting.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'awaiting_budget'])
      const session = await db.db.selectFrom('execution_sessions').select(['status', 'awaiting', 'budget_usd']).where('id', '=', sid).executeTakeFirstOrThrow()
      expect(session).toEqual({ status: 'active', awaiting: 'budget', budget_usd: budget })
      expect((await eventTypes(db.db, sid)).filter((t) => t === 'budget_exceeded')).toHaveLength(1)
      const exceeded = await db.db.selectFrom('session_events').select('data').where('session_id', '=', sid).where('type', '=', 'budget_exceeded').executeTakeFirstOrThrow()
      expect(exceeded.data).toMatchObject({ scope: 'session', agent_role: 'frontend_developer', budget_usd: budget })

      // A raise that still does not cover the task changes nothing and announces nothing again.
      expect(await setSessionBudget(db.db, orch.control, sid, budget + 0.00000001)).toBe(true)
      await Bun.sleep(300)
      expect((await budgetTasks(db.db, sid)).map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'awaiting_budget'])
      expect((await eventTypes(db.db, sid)).filter((t) => t === 'budget_exceeded')).toHaveLength(1)

      expect(await setSessionBudget(db.db, orch.control, sid, 1)).toBe(true)
      expect(await waitForEnd(db.db, sid, 30_000)).toBe('completed')
      const done = await budgetTasks(db.db, sid)
      expect(done.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed'])
      const total = sumUsd(done.map((t) => t.cost_usd))
      expect(total).toBe(sumUsd(done.map((t) => simCost(t.input_tokens, t.output_tokens))))
      // The estimate from history is within 10% of what the identical session cost.
      expect(Math.abs(estimate.cost_usd - total) / total).toBeLessThanOrEqual(0.1)
      // The team's month counted every cost since its row was made, once, and holds nothing.
      const ledger = await teamLedger(db.db, owner.teamId)
      expect(ledger.reservations).toBe(0)
      expect(ledger.months).toHaveLength(1)
      expect(ledger.months[0]?.reserved).toBe(0)
      expect(ledger.months[0]?.spent).toBeCloseTo(sumUsd([...history, ...done].map((t) => t.cost_usd)), 8)
      const final = await db.db.selectFrom('execution_sessions').select(['status', 'awaiting']).where('id', '=', sid).executeTakeFirstOrThrow()
      expect(final).toEqual({ status: 'completed', awaiting: null })
    })

    it('waits on the team’s monthly budget and goes on when it is raised', async () => {
      const owner = await newTeam(db.db)
      await db.db.updateTable('teams').set({ monthly_budget_usd: 0 }).where('id', '=', owner.teamId).execute()
      const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, agents: ['software_architect'] })
      await until('the task to wait', async () => (await budgetTasks(db.db, sid))[0]?.status === 'awaiting_budget', 30_000)
      const exceeded = await db.db.selectFrom('session_events').select('data').where('session_id', '=', sid).where('type', '=', 'budget_exceeded').executeTakeFirstOrThrow()
      expect(exceeded.data).toMatchObject({ scope: 'team_month', budget_usd: 0, spent_usd: 0 })
      await db.db.updateTable('teams').set({ monthly_budget_usd: 5 }).where('id', '=', owner.teamId).execute()
      const { wakeTeamBudgetWaiters } = await import('../../src/orchestration/index.ts')
      expect(await wakeTeamBudgetWaiters(db.db, orch.control, owner.teamId)).toBe(1)
      expect(await waitForEnd(db.db, sid, 30_000)).toBe('completed')
      const ledger = await teamLedger(db.db, owner.teamId)
      expect(ledger.months[0]?.spent).toBeCloseTo((await budgetTasks(db.db, sid))[0]?.cost_usd ?? -1, 8)
      expect(ledger.reservations).toBe(0)
    })
  })
}

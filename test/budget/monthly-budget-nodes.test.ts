/**
 * The monthly budget shared by sessions on three actor nodes (child processes) at once, on a
 * private PostgreSQL database and Redis Streams: reservations are atomic in PostgreSQL, so the
 * team's recorded spend never passes the budget; the tasks that waited are exactly those that
 * did not fit; a node killed with SIGKILL in the middle counts no cost twice.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Subprocess } from 'bun'
import { Kysely, sql } from 'kysely'
import { connectDatabase, type Database, type DatabaseHandle } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { startServiceProcess } from '../support/service-process.ts'
import { createScratchDatabase, deleteRedisKeys, testServices } from '../support/services.ts'
import { MODEL_PRICES, simCost, sumUsd, teamLedger } from './support.ts'

setDefaultTimeout(240_000)

const { redisUrl, redisPrefix, postgresUrl } = testServices()
const AGENTS = ['software_architect', 'backend_developer']
const FEATURE = { feature_name: 'Shared ledger', description: 'Teams share one monthly model budget.', plan: 'sequential', agents: AGENTS }

describe.skipIf(!redisUrl || !postgresUrl)('a monthly budget shared by 20 sessions on three actor nodes', () => {
  const children: Subprocess[] = []
  let drop: () => Promise<void> = async () => {}
  let web = ''
  let db: DatabaseHandle
  const prefix = `${redisPrefix}budget3:`

  beforeAll(async () => {
    const scratch = await createScratchDatabase('budget3')
    drop = scratch.drop
    const shared = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl as string,
      REDIS_PREFIX: prefix,
      SAGE_PARTITIONS: '12',
      SAGE_LEASE_MS: '2000',
      SAGE_WORKERS: '2',
      MODEL_PRICES,
      SIM_LATENCY_MS: '150-400',
      TASK_TIMEOUT_MS: '8000',
    }
    const webProcess = await startServiceProcess({ ...shared, SAGE_ROLE: 'web', NODE_ID: 'budget-web' })
    children.push(webProcess.child)
    web = `http://127.0.0.1:${webProcess.port}`
    for (const n of [1, 2, 3]) children.push((await startServiceProcess({ ...shared, SAGE_ROLE: 'node', NODE_ID: `budget-node-${n}` })).child)
    db = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger(), poolSize: 3 })
  })

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    for (const child of children) await child.exited
    await db?.close()
    await drop()
    if (redisUrl) await deleteRedisKeys(redisUrl, prefix)
  })

  it('never spends past the budget, runs exactly the tasks that fit, and counts each cost once through a SIGKILL', async () => {
    const origin = { origin: web }
    const signup = await fetch(`${web}/api/auth/signup`, {
      method: 'POST',
      headers: { ...origin, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'budget_owner', email: 'budget@example.com', password: 'password123' }),
    })
    expect(signup.status).toBe(201)
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
    const { csrf_token } = (await signup.json()) as { csrf_token: string }
    const headers = { ...origin, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${web}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      return { status: res.status, body: (await res.json()) as any }
    }
    const teamId = (await call('POST', '/api/teams', { name: 'Ledger team' })).body.team.id as number
    const db3 = db.db as Kysely<Database>
    const sessionStatus = async (id: number) => (await db3.selectFrom('execution_sessions').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status
    const until = async (what: string, check: () => Promise<boolean>, ms = 90_000) => {
      const deadline = Date.now() + ms
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await Bun.sleep(100)
      }
    }

    // History: one session without a budget makes each role's estimate its exact cost.
    const warm = (await call('POST', '/api/sessions', { team_id: teamId, ...FEATURE })).body.session.id as number
    await until('the warm-up session', async () => (await sessionStatus(warm)) === 'completed')
    const estimate = (await call('POST', '/api/sessions/estimate', { team_id: teamId, ...FEATURE })).body
    const est = new Map<string, number>(estimate.by_role.map((r: { agent_role: string; cost_usd: number }) => [r.agent_role, r.cost_usd]))
    const perSession = sumUsd([...est.values()])
    expect(perSession).toBeGreaterThan(0)
    const warmCost = sumUsd((await db3.selectFrom('agent_tasks').select('cost_usd').where('session_id', '=', warm).execute()).map((t) => t.cost_usd))
    expect(warmCost).toBeCloseTo(perSession, 8)

    // What the month has spent, plus 30 task estimates (15 sessions' worth of both roles).
    const budget = sumUsd([warmCost, 15 * perSession])
    expect((await call('PUT', `/api/teams/${teamId}`, { settings: { monthly_budget_usd: budget } })).status).toBe(200)
    const started = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/api/sessions', { team_id: teamId, ...FEATURE })))
    expect(started.every((r) => r.status === 201)).toBe(true)
    const ids = started.map((r) => r.body.session.id as number)

    // Kill one node with SIGKILL once some tasks have completed; the others take its partitions over.
    await until('some tasks to complete', async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from agent_tasks where session_id = any(${ids}::bigint[]) and status = 'completed'`.execute(db3)
      return (rows[0]?.n ?? 0) >= 4
    })
    const victim = children[2] as Subprocess
    victim.kill('SIGKILL')
    await victim.exited

    // Every session ends up completed or waiting for the budget (nothing running, nothing reserved).
    await until('every session to settle', async () => {
      const rows = await db3.selectFrom('agent_tasks').select('status').where('session_id', 'in', ids).execute()
      const ledger = await teamLedger(db3, teamId)
      return rows.every((r) => ['completed', 'awaiting_budget', 'pending'].includes(r.status)) && ledger.reservations === 0
    }, 120_000)
    const tasks = await db3.selectFrom('agent_tasks').select(['session_id', 'agent_role', 'status', 'input_tokens', 'output_tokens', 'cost_usd']).where('session_id', 'in', ids).execute()
    const completed = tasks.filter((t) => t.status === 'completed')
    const waiting = tasks.filter((t) => t.status === 'awaiting_budget')
    const ledger = await teamLedger(db3, teamId)
    const spent = ledger.months[0]?.spent ?? -1

    // Recorded spend never passed the budget, and it is each completed task's cost counted once.
    expect(spent).toBeLessThanOrEqual(budget + 1e-9)
    expect(spent).toBeCloseTo(sumUsd([warmCost, ...completed.map((t) => t.cost_usd)]), 8)
    expect(ledger.months[0]?.reserved).toBe(0)
    for (const t of completed) expect(t.cost_usd).toBe(simCost(t.input_tokens, t.output_tokens))
    // Exactly the tasks that fit ran: every waiting task would pass the budget with what was spent.
    // (In estimates: the completed tasks' estimates add up to at most the 30 the budget covers.)
    expect(sumUsd(completed.map((t) => est.get(t.agent_role) ?? 0))).toBeLessThanOrEqual(15 * perSession + 1e-9)
    expect(completed.length).toBeGreaterThan(0)
    expect(waiting.length).toBeGreaterThan(0)
    for (const t of waiting) expect(spent + (est.get(t.agent_role) ?? 0)).toBeGreaterThan(budget + 1e-9)
    // A session is active and waiting exactly when it has a waiting task.
    const sessions = await db3.selectFrom('execution_sessions').select(['id', 'status', 'awaiting']).where('id', 'in', ids).execute()
    for (const s of sessions) {
      const waits = waiting.some((t) => t.session_id === s.id)
      expect(s).toEqual(waits ? { id: s.id, status: 'active', awaiting: 'budget' } : { id: s.id, status: 'completed', awaiting: null })
    }
    // A budget_exceeded event per waiting task, however often messages were redelivered.
    const { rows: exceeded } = await sql<{ n: number }>`select count(*)::int as n from session_events where session_id = any(${ids}::bigint[]) and type = 'budget_exceeded'`.execute(db3)
    expect(exceeded[0]?.n).toBe(waiting.length)

    // Raising the monthly budget wakes every waiting session of the team: all complete.
    expect((await call('PUT', `/api/teams/${teamId}`, { settings: { monthly_budget_usd: 1000 } })).status).toBe(200)
    await until('every session to complete', async () => {
      const rows = await db3.selectFrom('execution_sessions').select('status').where('id', 'in', ids).execute()
      return rows.every((r) => r.status === 'completed')
    }, 120_000)
    const all = await db3.selectFrom('agent_tasks').select('cost_usd').where('session_id', 'in', [warm, ...ids]).execute()
    const after = await teamLedger(db3, teamId)
    expect(after.months[0]?.spent).toBeCloseTo(sumUsd(all.map((t) => t.cost_usd)), 8)
    expect(after.months[0]?.reserved).toBe(0)
  })
})

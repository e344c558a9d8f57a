import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AGENT_ROLES, type AgentRole, promptConstants } from '../../src/agents/index.ts'
import { latestSnapshot } from '../../src/sessions/index.ts'
import type { Behaviour } from '../../src/actors/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { primaryEngine, testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import {
  duplicatingBehaviour,
  eventTypes,
  inputlessRunTasks,
  newTeam,
  type OrchestrationNode,
  startOrchestrationNode,
  startSession,
  tasksByRole,
  until,
  waitForEnd,
} from './support.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

// DESIGN's stages: each role waits for, and reads, every role of the stages before it.
const DAG_DEPS: Record<AgentRole, AgentRole[]> = {
  software_architect: [],
  backend_developer: ['software_architect'],
  database_administrator: ['software_architect'],
  frontend_developer: ['software_architect', 'backend_developer', 'database_administrator'],
  ui_ux_designer: ['software_architect', 'backend_developer', 'database_administrator'],
  security_specialist: ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer', 'ui_ux_designer'],
  it_administrator: ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer', 'ui_ux_designer'],
}

const { redisUrl, redisPrefix } = testServices()
const FEATURE = { feature_name: 'Invoice export to CSV', description: 'Finance users export filtered invoices as CSV files.' }

/** The suite runs on Redis Streams + PostgreSQL when both are up, and on the embedded default otherwise. */
const transport = redisUrl && testServices().postgresUrl ? 'Redis Streams + PostgreSQL' : 'in-process + PGlite'

describe(`sessions end to end (${transport}, simulated provider)`, () => {
  let db: DatabaseHandle
  let orch: OrchestrationNode
  let owner: { userId: number; teamId: number }

  beforeAll(async () => {
    db = await primaryEngine().open()
    orch = await startOrchestrationNode({
      db,
      redisPrefix: redisUrl ? `${redisPrefix}orch${Math.random().toString(36).slice(2, 6)}:` : null,
      env: { TASK_MAX_RETRIES: '2', TASK_TIMEOUT_MS: '1500', SIM_LATENCY_MS: '0' },
    })
    owner = await newTeam(db.db)
  })
  afterAll(async () => {
    await orch.stop()
    await db.close()
  })

  it('runs the dag to completion: stage by stage, with every record written', async () => {
    const sid = await startSession(db.db, orch.control, owner, FEATURE)
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const tasks = await tasksByRole(db.db, sid)
    expect([...tasks.keys()]).toEqual([...AGENT_ROLES])
    for (const [role, task] of tasks) {
      expect(task.status).toBe('completed')
      expect(task.retry_count).toBe(0)
      expect(task.model).toBe('simulated')
      expect(task.input_tokens).toBeGreaterThan(0)
      expect(task.output_tokens).toBeGreaterThan(0)
      expect(task.completed_at).toBeInstanceOf(Date)
      // The dag's order, from the recorded times: a role starts only after every role it depends on finished.
      for (const dep of DAG_DEPS[role]) {
        expect((task.started_at as Date).getTime()).toBeGreaterThanOrEqual((tasks.get(dep)?.completed_at as Date).getTime())
      }
      const output = task.output_data as { decisions: unknown[]; confidence: number }
      const decisions = await db.db.selectFrom('task_decisions').select('id').where('agent_task_id', '=', task.id).execute()
      expect(decisions.length).toBe(output.decisions.length)
      const snapshots = await db.db.selectFrom('agent_snapshots').selectAll().where('agent_task_id', '=', task.id).execute()
      expect(snapshots).toHaveLength(1)
      expect(snapshots[0]?.execution_metadata).toMatchObject({ outcome: 'completed', attempt: 1, provider: 'simulated' })
      // Its prompt carried the outputs of exactly the roles of the earlier stages.
      expect((snapshots[0]?.context_state as { upstreamRoles: string[] }).upstreamRoles.sort()).toEqual([...DAG_DEPS[role]].sort())
      // The system prompt's constant head and tail are stored once, by reference; the reader joins them back.
      const stored = (snapshots[0]?.context_state as { prompt: { system_parts: unknown[]; system?: string } }).prompt
      expect(stored.system).toBeUndefined()
      expect(stored.system_parts).toHaveLength(3)
      const refs = stored.system_parts.filter((p): p is { text_ref: string } => typeof p === 'object').map((p) => p.text_ref)
      const texts = await db.db.selectFrom('snapshot_texts').select('body').where('hash', 'in', refs).execute()
      expect(texts.map((t) => t.body).sort()).toEqual([promptConstants(role).head, promptConstants(role).tail].sort())
      const read = (await latestSnapshot(db.db, task.id))?.context_state as { prompt: { system: string; user: string; system_parts?: unknown } }
      expect(read.prompt.system_parts).toBeUndefined()
      expect(read.prompt.system).toBe(`${promptConstants(role).head}${stored.system_parts[1]}${promptConstants(role).tail}`)
      expect(read.prompt.system).toContain(`# Feature: ${FEATURE.feature_name}`)
      expect(read.prompt.user.length).toBeGreaterThan(0)
    }
    const session = await db.db.selectFrom('execution_sessions').selectAll().where('id', '=', sid).executeTakeFirstOrThrow()
    expect(session.ended_at).toBeInstanceOf(Date)
    expect(session.duration_seconds).toBeGreaterThanOrEqual(0)
    const types = await eventTypes(db.db, sid)
    expect(types[0]).toBe('session_started')
    expect(types.at(-1)).toBe('session_completed')
    expect(types.filter((t) => t === 'task_started')).toHaveLength(7)
    expect(types.filter((t) => t === 'task_completed')).toHaveLength(7)
  })

  it('reads a snapshot written before prompts were stored by reference as it was', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, plan: 'parallel', agents: ['ui_ux_designer'] })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const task = (await tasksByRole(db.db, sid)).get('ui_ux_designer')
    const context = { upstreamRoles: [], prompt: { system: 'the old system prompt', user: 'the old user prompt' } }
    await db.db
      .insertInto('agent_snapshots')
      .values({ agent_task_id: task?.id as number, agent_role: 'ui_ux_designer', context_state: JSON.stringify(context), capabilities: '[]', decisions: '[]', execution_metadata: '{}' })
      .execute()
    expect((await latestSnapshot(db.db, task?.id as number))?.context_state).toEqual(context)
  })

  it('runs a parallel plan over a subset of roles', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, plan: 'parallel', agents: ['security_specialist', 'ui_ux_designer'] })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const tasks = await tasksByRole(db.db, sid)
    expect([...tasks.keys()]).toEqual(['ui_ux_designer', 'security_specialist'])
    const types = await eventTypes(db.db, sid)
    // Both start before either finishes.
    expect(types.indexOf('task_completed')).toBeGreaterThan(types.lastIndexOf('task_started'))
  })

  it('runs a sequential plan one role after another', async () => {
    const agents: AgentRole[] = ['it_administrator', 'software_architect', 'database_administrator']
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, plan: 'sequential', agents })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const tasks = [...(await tasksByRole(db.db, sid)).values()]
    expect(tasks.map((t) => t.agent_role)).toEqual(['software_architect', 'database_administrator', 'it_administrator'])
    for (let i = 1; i < tasks.length; i++) {
      expect((tasks[i]?.started_at as Date).getTime()).toBeGreaterThanOrEqual((tasks[i - 1]?.completed_at as Date).getTime())
    }
  })

  it('retries a failing agent, then succeeds', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Audit log [sim:fail=backend_developer:1]' })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const backend = (await tasksByRole(db.db, sid)).get('backend_developer')
    expect(backend).toMatchObject({ status: 'completed', retry_count: 1 })
    expect(await eventTypes(db.db, sid)).toContain('task_retrying')
    const snapshots = await db.db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', backend?.id as number).orderBy('id').execute()
    expect(snapshots.map((s) => (s.execution_metadata as { outcome: string }).outcome)).toEqual(['failed', 'completed'])
  })

  it('fails an agent after its retries: dependents skipped, independent roles finish, the session fails', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Audit log [sim:fail=backend_developer]' })
    expect(await waitForEnd(db.db, sid)).toBe('failed')
    const tasks = await tasksByRole(db.db, sid)
    expect(Object.fromEntries([...tasks].map(([role, t]) => [role, t.status]))).toEqual({
      software_architect: 'completed',
      backend_developer: 'failed',
      database_administrator: 'completed',
      frontend_developer: 'skipped',
      ui_ux_designer: 'skipped',
      security_specialist: 'skipped',
      it_administrator: 'skipped',
    })
    expect(tasks.get('backend_developer')).toMatchObject({ retry_count: 2 })
    expect(tasks.get('backend_developer')?.error_message).toContain('simulated')
    const types = await eventTypes(db.db, sid)
    expect(types.filter((t) => t === 'task_retrying')).toHaveLength(2)
    expect(types.at(-1)).toBe('session_failed')
  })

  it('does not retry a failure that cannot succeed', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Audit [sim:fatal=software_architect]', agents: ['software_architect'] })
    expect(await waitForEnd(db.db, sid)).toBe('failed')
    expect((await tasksByRole(db.db, sid)).get('software_architect')).toMatchObject({ status: 'failed', retry_count: 0 })
  })

  it('aborts an attempt that passes TASK_TIMEOUT_MS and retries it', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Slow [sim:hang=software_architect:1]', agents: ['software_architect'] })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    const task = (await tasksByRole(db.db, sid)).get('software_architect')
    expect(task).toMatchObject({ status: 'completed', retry_count: 1 })
    const first = await db.db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', task?.id as number).orderBy('id').executeTakeFirstOrThrow()
    expect(first.execution_metadata).toMatchObject({ outcome: 'failed', error_kind: 'timeout' })
  })

  it('replaces a Worker that crashes mid-task and restarts the agent on a new one', async () => {
    const before = await restarts(orch)
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Crashy [sim:crash=software_architect:1]', agents: ['software_architect', 'backend_developer'] })
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    expect((await tasksByRole(db.db, sid)).get('software_architect')).toMatchObject({ status: 'completed', retry_count: 1 })
    expect(await restarts(orch)).toBeGreaterThan(before)
  })

  it('cancels mid-run: running calls are aborted and unfinished tasks cancelled', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Long [sim:hang=database_administrator]' })
    await until('the DBA to be running', async () => (await tasksByRole(db.db, sid)).get('database_administrator')?.status === 'running')
    expect(await orch.control.cancel(sid)).toBe('ended')
    expect(await waitForEnd(db.db, sid)).toBe('cancelled')
    const tasks = await tasksByRole(db.db, sid)
    expect(tasks.get('software_architect')?.status).toBe('completed')
    expect(tasks.get('database_administrator')?.status).toBe('cancelled')
    expect(tasks.get('it_administrator')?.status).toBe('cancelled')
    // The hung model call saw its AbortSignal: no job is left running on the pool.
    await until('the pool to be idle', async () => (await runningJobs(orch)) === 0)
    expect(await orch.control.cancel(sid)).toBe('already_ended')
    expect((await eventTypes(db.db, sid)).at(-1)).toBe('session_cancelled')
  })

  it('completes early: unfinished tasks become cancelled and the session completed', async () => {
    const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, feature_name: 'Early [sim:hang=backend_developer]' })
    await until('the backend to be running', async () => (await tasksByRole(db.db, sid)).get('backend_developer')?.status === 'running')
    expect(await orch.control.complete(sid)).toBe('ended')
    expect(await waitForEnd(db.db, sid)).toBe('completed')
    expect((await tasksByRole(db.db, sid)).get('backend_developer')?.status).toBe('cancelled')
  })
})

async function metric(orch: OrchestrationNode, name: string): Promise<number> {
  const text = await orch.node.metrics.render()
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0)
}
const restarts = (orch: OrchestrationNode): Promise<number> => metric(orch, 'sage_worker_restarts')
const runningJobs = (orch: OrchestrationNode): Promise<number> => metric(orch, 'sage_worker_running_jobs')

describe('every message delivered twice', () => {
  it('ends with the same records as a clean run', async () => {
    const db = await primaryEngine().open()
    const prefix = redisUrl ? `${redisPrefix}dup${Math.random().toString(36).slice(2, 6)}:` : null
    const clean = await startOrchestrationNode({ db, redisPrefix: prefix, env: { TASK_MAX_RETRIES: '2' } })
    const owner = await newTeam(db.db)
    const feature = { feature_name: 'Team calendar sync [sim:fail=ui_ux_designer:1]', description: 'Sync team calendars both ways.' }
    let cleanId: number
    try {
      cleanId = await startSession(db.db, clean.control, owner, feature)
      expect(await waitForEnd(db.db, cleanId)).toBe('completed')
    } finally {
      await clean.stop()
    }
    const dup = await startOrchestrationNode({ db, redisPrefix: prefix, env: { TASK_MAX_RETRIES: '2' }, wrap: duplicatingBehaviour })
    try {
      const dupId = await startSession(db.db, dup.control, owner, feature)
      expect(await waitForEnd(db.db, dupId)).toBe('completed')
      await Bun.sleep(300) // let straggling duplicates arrive
      const summary = async (sid: number) => {
        const tasks = [...(await tasksByRole(db.db, sid)).values()]
        return Promise.all(
          tasks.map(async (t) => ({
            role: t.agent_role,
            status: t.status,
            retry_count: t.retry_count,
            output: t.output_data,
            decisions: (await db.db.selectFrom('task_decisions').select(['decision_text', 'rationale', 'category']).where('agent_task_id', '=', t.id).orderBy('id').execute()),
            snapshots: (await db.db.selectFrom('agent_snapshots').select('agent_role').where('agent_task_id', '=', t.id).execute()).length,
          })),
        )
      }
      expect(await summary(dupId)).toEqual(await summary(cleanId))
      // Roles running side by side interleave differently from run to run; each role's own events do not.
      const perRole = async (sid: number) => {
        const rows = await db.db.selectFrom('session_events').select(['type', 'data']).where('session_id', '=', sid).orderBy('seq').execute()
        const out: Record<string, string[]> = {}
        for (const { type, data } of rows) {
          if (type === 'task_progress') continue
          const role = String((data as { agent_role?: string }).agent_role ?? 'session')
          ;(out[role] ??= []).push(type)
        }
        return out
      }
      expect(await perRole(dupId)).toEqual(await perRole(cleanId))
    } finally {
      await dup.stop()
      await db.close()
    }
  })
})

describe('an agent told to run without its input', () => {
  it('reads the input itself, and the outputs are those of a run where the supervisor sent it', async () => {
    const db = await primaryEngine().open()
    const prefix = redisUrl ? `${redisPrefix}inp${Math.random().toString(36).slice(2, 6)}:` : null
    const feature = { feature_name: 'Invoice export', description: 'Finance users export filtered invoices as CSV files.' }
    const outputs = async (sid: number) => [...(await tasksByRole(db.db, sid)).values()].map((t) => [t.agent_role, t.output_data])
    const run = async (wrap?: (b: Behaviour) => Behaviour) => {
      const orch = await startOrchestrationNode({ db, redisPrefix: prefix, ...(wrap ? { wrap } : {}) })
      try {
        const owner = await newTeam(db.db)
        const sid = await startSession(db.db, orch.control, owner, feature)
        expect(await waitForEnd(db.db, sid)).toBe('completed')
        return outputs(sid)
      } finally {
        await orch.stop()
      }
    }
    try {
      const sent = await run()
      const read = await run(inputlessRunTasks)
      expect(read).toHaveLength(7)
      expect(read).toEqual(sent)
    } finally {
      await db.close()
    }
  })
})

describe('live progress while a model streams', () => {
  it('records task_progress events from the agent actor, only while their attempt runs', async () => {
    const db = await primaryEngine().open()
    const orch = await startOrchestrationNode({
      db,
      redisPrefix: redisUrl ? `${redisPrefix}prog${Math.random().toString(36).slice(2, 6)}:` : null,
      env: { SIM_LATENCY_MS: '900' },
    })
    try {
      const owner = await newTeam(db.db)
      const agents: AgentRole[] = ['software_architect', 'security_specialist']
      const sid = await startSession(db.db, orch.control, owner, { ...FEATURE, plan: 'parallel', agents })
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      const events = await db.db.selectFrom('session_events').select(['seq', 'type', 'data']).where('session_id', '=', sid).orderBy('seq').execute()
      for (const role of agents) {
        const mine = events.filter((e) => (e.data as { agent_role?: string }).agent_role === role)
        const started = mine.findIndex((e) => e.type === 'task_started')
        const completed = mine.findIndex((e) => e.type === 'task_completed')
        const progress = mine.filter((e) => e.type === 'task_progress')
        expect(progress.length).toBeGreaterThan(0)
        for (const p of progress) {
          expect(p.data).toMatchObject({ agent_role: role, attempt: 1, analysis: expect.any(String), chars: expect.any(Number) })
          const at = mine.indexOf(p)
          expect(at).toBeGreaterThan(started)
          expect(at).toBeLessThan(completed)
        }
      }
    } finally {
      await orch.stop()
      await db.close()
    }
  })
})

describe('the embedded default (in-process mailbox, PGlite)', () => {
  it('runs a full dag session to completion', async () => {
    const db = await testEnginesPglite()
    const orch = await startOrchestrationNode({ db, redisPrefix: null })
    try {
      const owner = await newTeam(db.db)
      const sid = await startSession(db.db, orch.control, owner, FEATURE)
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      const tasks = [...(await tasksByRole(db.db, sid)).values()]
      expect(tasks.map((t) => t.status)).toEqual(Array(7).fill('completed'))
    } finally {
      await orch.stop()
      await db.close()
    }
  })
})

async function testEnginesPglite(): Promise<DatabaseHandle> {
  const pglite = testEngines().find((e) => e.name === 'pglite')
  if (!pglite) throw new Error('PGlite engine missing')
  return pglite.open()
}

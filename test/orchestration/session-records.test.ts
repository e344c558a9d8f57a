import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Kysely } from 'kysely'
import { AGENT_ROLES, type AgentRole } from '../../src/agents/index.ts'
import type { Database, DatabaseHandle } from '../../src/db/index.ts'
import { readEvents } from '../../src/events/index.ts'
import {
  applySupervisorCommands,
  loadSupervisorState,
  recordTaskResult,
  type RoleDependencies,
  type SupervisionPolicy,
  type SupervisorInput,
  superviseStep,
} from '../../src/orchestration/index.ts'
import { testEngines } from '../support/engines.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const ROLES: RoleDependencies[] = AGENT_ROLES.map((id, i) => ({ id, dependsOn: i === 0 ? [] : ['software_architect'] }))
const policy: SupervisionPolicy = { maxRetries: 1, baseDelayMs: 1000, maxDelayMs: 10_000 }

let unique = 0
async function newSession(db: Kysely<Database>, roles: readonly AgentRole[], plan: 'dag' | 'parallel' = 'dag'): Promise<number> {
  const tag = `sr${Date.now().toString(36)}${unique++}`
  const user = await db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: tag, owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  const session = await db
    .insertInto('execution_sessions')
    .values({ team_id: team.id, user_id: user.id, feature_name: tag, status: 'active', plan, started_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('agent_tasks')
    .values(roles.map((role) => ({ session_id: session.id, agent_role: role, status: 'pending' as const, task_description: role })))
    .execute()
  return session.id
}

/** Loads, steps and writes back in one transaction, as the supervisor actor does. */
async function step(db: Kysely<Database>, sessionId: number, input: SupervisorInput, now = new Date()) {
  return db.transaction().execute(async (trx) => {
    const state = await loadSupervisorState(trx, sessionId, ROLES)
    if (!state) throw new Error('no session')
    const result = superviseStep(state, input, policy)
    return { ...result, ...(await applySupervisorCommands(trx, result.state, result.commands, now)) }
  })
}

/** Records a success as the agent does (output, completed status, event), in its own transaction. */
async function recordSuccess(db: Kysely<Database>, sessionId: number, role: AgentRole, attempt: number) {
  const task = await db.selectFrom('agent_tasks').select('id').where('session_id', '=', sessionId).where('agent_role', '=', role).executeTakeFirstOrThrow()
  const output = { analysis: 'a', decisions: [{ text: `${role} decides`, rationale: 'because', category: 'architecture' }] }
  return db.transaction().execute((trx) =>
    recordTaskResult(trx, {
      sessionId,
      now: new Date(),
      jobId: `run-agent:${task.id}:${attempt}`,
      taskId: task.id, role, attempt, outputJson: JSON.stringify(output), decisions: output.decisions, model: 'sim-1', provider: 'simulated',
      inputTokens: 120, outputTokens: 340, costUsd: null, durationMs: 5, repaired: false,
      contextJson: JSON.stringify({ upstream: [] }), capabilities: ['design'], nodeId: 'n1',
    }),
  )
}

for (const engine of testEngines()) {
  describe(`session records (${engine.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await engine.open()
    })
    afterAll(() => handle.close())

    it('starts the first stage and records task_started events', async () => {
      const sid = await newSession(handle.db, AGENT_ROLES)
      const { events } = await step(handle.db, sid, { type: 'start' })
      expect(events.map((e) => [e.type, (e.data as Record<string, unknown>).agent_role])).toEqual([['task_started', 'software_architect']])
      const task = await handle.db.selectFrom('agent_tasks').selectAll().where('session_id', '=', sid).where('agent_role', '=', 'software_architect').executeTakeFirstOrThrow()
      expect(task.status).toBe('running')
      expect(task.started_at).toBeInstanceOf(Date)
    })

    it('survives a reload between steps: a retry waiting in the rows is picked up again', async () => {
      const sid = await newSession(handle.db, ['software_architect'])
      await step(handle.db, sid, { type: 'start' })
      const failed = await step(handle.db, sid, { type: 'task_failed', role: 'software_architect', attempt: 1, error: 'flaky', retryable: true })
      expect(failed.events.map((e) => e.type)).toEqual(['task_retrying'])
      const waiting = await handle.db.selectFrom('agent_tasks').select(['retry_count', 'retry_at', 'error_message']).where('session_id', '=', sid).executeTakeFirstOrThrow()
      expect(waiting).toMatchObject({ retry_count: 1, error_message: 'flaky' })
      expect(waiting.retry_at).toBeInstanceOf(Date)
      // A fresh load (as after a takeover) still knows attempt 1 is waiting for its retry.
      const retried = await step(handle.db, sid, { type: 'retry_due', role: 'software_architect', attempt: 1 })
      expect(retried.commands).toEqual([{ type: 'run_task', role: 'software_architect', taskId: expect.any(Number), attempt: 2 }])
      expect((await recordSuccess(handle.db, sid, 'software_architect', 2))?.type).toBe('task_completed')
      const done = await step(handle.db, sid, { type: 'task_succeeded', role: 'software_architect', attempt: 2 })
      // The step that ends the session completed also checks the outputs against each other (issue 18).
      expect(done.events.map((e) => e.type)).toEqual(['consistency_checked', 'session_completed'])
      expect((await readEvents(handle.db, sid, 0)).map((e) => e.type)).toEqual([
        'task_started',
        'task_retrying',
        'task_started',
        'task_completed',
        'consistency_checked',
        'session_completed',
      ])
      const session = await handle.db.selectFrom('execution_sessions').selectAll().where('id', '=', sid).executeTakeFirstOrThrow()
      expect(session.status).toBe('completed')
      expect(session.ended_at).toBeInstanceOf(Date)
      expect(session.duration_seconds).toBeGreaterThanOrEqual(0)
      expect(done.events[1]?.data).toMatchObject({ status: 'completed', duration_seconds: session.duration_seconds })
    })

    it('fails a task after its retries, skips its dependants and says so in the event', async () => {
      const sid = await newSession(handle.db, ['software_architect', 'backend_developer', 'security_specialist'])
      await step(handle.db, sid, { type: 'start' })
      await step(handle.db, sid, { type: 'task_failed', role: 'software_architect', attempt: 1, error: 'x', retryable: true })
      await step(handle.db, sid, { type: 'retry_due', role: 'software_architect', attempt: 1 })
      const last = await step(handle.db, sid, { type: 'task_failed', role: 'software_architect', attempt: 2, error: 'still broken', retryable: true })
      expect(last.events.map((e) => e.type)).toEqual(['task_failed', 'session_failed'])
      expect(((last.events[0]?.data as Record<string, unknown>).skipped_tasks as unknown[]).length).toBe(2)
      const statuses = await handle.db.selectFrom('agent_tasks').select(['agent_role', 'status', 'error_message']).where('session_id', '=', sid).orderBy('id').execute()
      expect(statuses).toEqual([
        { agent_role: 'software_architect', status: 'failed', error_message: 'still broken' },
        { agent_role: 'backend_developer', status: 'skipped', error_message: null },
        { agent_role: 'security_specialist', status: 'skipped', error_message: null },
      ])
    })

    it('cancels: the session event lists the cancelled tasks and later steps are ignored', async () => {
      const sid = await newSession(handle.db, AGENT_ROLES)
      await step(handle.db, sid, { type: 'start' })
      const cancel = await step(handle.db, sid, { type: 'cancel' })
      expect(cancel.events.map((e) => e.type)).toEqual(['session_cancelled'])
      expect(((cancel.events[0]?.data as Record<string, unknown>).cancelled_tasks as unknown[]).length).toBe(7)
      const late = await step(handle.db, sid, { type: 'task_succeeded', role: 'software_architect', attempt: 1 })
      expect(late.ignored).toBe('session_ended')
      expect((await readEvents(handle.db, sid, 0)).map((e) => e.type)).toEqual(['task_started', 'session_cancelled'])
    })

    it('starts what waited for a success the agent recorded, once, whether or not the supervisor saw the task running', async () => {
      const sid = await newSession(handle.db, AGENT_ROLES)
      await step(handle.db, sid, { type: 'start' })
      await recordSuccess(handle.db, sid, 'software_architect', 1)
      // Each step loads the state from the rows, as after a takeover: the task is already completed there.
      const told = await step(handle.db, sid, { type: 'task_succeeded', role: 'software_architect', attempt: 1 })
      expect(told.commands.filter((c) => c.type === 'run_task').map((c) => c.role)).toEqual(AGENT_ROLES.slice(1))
      const again = await step(handle.db, sid, { type: 'task_succeeded', role: 'software_architect', attempt: 1 })
      expect(again.commands).toEqual([])
      const types = (await readEvents(handle.db, sid, 0)).map((e) => e.type)
      expect(types.filter((t) => t === 'task_completed')).toHaveLength(1)
      expect(types.filter((t) => t === 'task_started')).toHaveLength(AGENT_ROLES.length)
    })

    it('records an output once, with its decisions, usage, a snapshot, the completed status and its event', async () => {
      const sid = await newSession(handle.db, ['software_architect'])
      await step(handle.db, sid, { type: 'start' })
      const task = await handle.db.selectFrom('agent_tasks').select('id').where('session_id', '=', sid).executeTakeFirstOrThrow()
      const output = { analysis: 'a', decisions: [{ text: 'Use queues', rationale: 'decoupling', category: 'architecture' }] }
      const record = () => handle.db.transaction().execute((trx) =>
        recordTaskResult(trx, {
          sessionId: sid,
          now: new Date(),
          jobId: `run-agent:${task.id}:1`,
          taskId: task.id, role: 'software_architect', attempt: 1, outputJson: JSON.stringify(output), decisions: output.decisions,
          model: 'sim-1', provider: 'simulated', inputTokens: 120, outputTokens: 340, costUsd: null, durationMs: 5, repaired: false,
          contextJson: JSON.stringify({ upstream: [] }), capabilities: ['design'], nodeId: 'n1',
        }),
      )
      const event = await record()
      expect(event).toMatchObject({ session_id: sid, type: 'task_completed', data: { task_id: task.id, agent_role: 'software_architect', attempt: 1 } })
      // The same outcome again (a redelivery) records nothing.
      expect(await record()).toBeNull()
      const row = await handle.db.selectFrom('agent_tasks').selectAll().where('id', '=', task.id).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ status: 'completed', output_data: output, model: 'sim-1', input_tokens: 120, output_tokens: 340, celery_task_id: `run-agent:${task.id}:1` })
      expect(row.completed_at).toBeInstanceOf(Date)
      expect(row.duration_seconds).toBeGreaterThanOrEqual(0)
      expect((await readEvents(handle.db, sid, 0)).map((e) => e.type)).toEqual(['task_started', 'task_completed'])
      const decisions = await handle.db.selectFrom('task_decisions').select(['decision_text', 'rationale']).where('agent_task_id', '=', task.id).execute()
      expect(decisions).toEqual([{ decision_text: 'Use queues', rationale: 'decoupling' }])
      const snapshots = await handle.db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', task.id).execute()
      expect(snapshots).toHaveLength(1)
      expect(snapshots[0]?.execution_metadata).toMatchObject({ outcome: 'completed', model: 'sim-1', node_id: 'n1' })
    })
  })
}

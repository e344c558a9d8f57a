import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type Behaviour, listDeadLetters } from '../../src/actors/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { sql } from 'kysely'
import { taskWatchdogSchedule } from '../../src/orchestration/index.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from './support.ts'

setDefaultTimeout(60_000)

const { redisUrl, redisPrefix } = testServices()

/** The agent of `role` whose JobCompleted handler always throws, as PostgreSQL refusing its output would. */
function unrecordableOutput(role: string): (b: Behaviour) => Behaviour {
  return (inner) =>
    inner.kind !== 'agent'
      ? inner
      : {
          ...inner,
          receive(message, ctx) {
            if (message.type === 'sage.job-completed' && ctx.self.endsWith(`/${role}`)) throw new Error('unsupported Unicode escape sequence')
            return inner.receive(message, ctx)
          },
        }
}

// PostgreSQL with Redis Streams (when both are up), and PGlite with the in-process mailbox.
for (const engine of testEngines()) {
  const transport = engine.name === 'postgres' && redisUrl ? 'Redis Streams' : 'in-process'
  describe(`a dead-lettered message (${engine.name}, ${transport})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: transport === 'Redis Streams' ? `${redisPrefix}dl${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { TASK_MAX_RETRIES: '2', SIM_LATENCY_MS: '0' },
        wrap: unrecordableOutput('backend_developer'),
      })
    })
    afterAll(async () => {
      await orch.stop()
      await db.close()
    })

    it('fails its task with the reason, without a retry; dependants are skipped and the session fails, each event once', async () => {
      const owner = await newTeam(db.db)
      const sid = await startSession(db.db, orch.control, owner, { feature_name: 'Invoice export', description: 'CSV export of invoices.' })
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
      const failed = tasks.get('backend_developer')
      expect(failed?.retry_count).toBe(0)
      expect(failed?.error_message).toStartWith("could not record the agent's output: handler failed 5 times: unsupported Unicode escape sequence")
      const events = await db.db.selectFrom('session_events').select(['type', 'data']).where('session_id', '=', sid).orderBy('seq').execute()
      const backendFailures = events.filter((e) => e.type === 'task_failed' && (e.data as { agent_role?: string }).agent_role === 'backend_developer')
      expect(backendFailures).toHaveLength(1)
      expect(events.filter((e) => e.type === 'task_retrying')).toHaveLength(0)
      expect(events.filter((e) => e.type === 'session_failed')).toHaveLength(1)
      expect(events.at(-1)?.type).toBe('session_failed')
      const letters = (await listDeadLetters(db.db, { limit: 1000 })).filter((l) => l.actor === `agent/${sid}/backend_developer`)
      expect(letters.map((l) => l.messageType)).toEqual(['sage.job-completed'])
    })
  })
}

for (const engine of testEngines()) {
  const transport = engine.name === 'postgres' && redisUrl ? 'Redis Streams' : 'in-process'
  describe(`the task watchdog (${engine.name}, ${transport})`, () => {
    it('fails a task left running with no job and no pending message, and its session ends failed', async () => {
      const db = await engine.open()
      const orch = await startOrchestrationNode({
        db,
        redisPrefix: transport === 'Redis Streams' ? `${redisPrefix}wd${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { TASK_TIMEOUT_MS: '1000' },
        schedules: [taskWatchdogSchedule({ taskTimeoutMs: 1000, marginMs: 60_000, everyMs: 200 })],
      })
      try {
        const owner = await newTeam(db.db)
        // A session whose one task is running, with nothing that will ever move it (rows written here, no job, no message).
        const session = await db.db
          .insertInto('execution_sessions')
          .values({ team_id: owner.teamId, user_id: owner.userId, feature_name: 'Stuck export', plan: 'parallel', status: 'active', started_at: sql<Date>`now() - interval '1 hour'` })
          .returning('id')
          .executeTakeFirstOrThrow()
        const fresh = await db.db
          .insertInto('execution_sessions')
          .values({ team_id: owner.teamId, user_id: owner.userId, feature_name: 'Just started', plan: 'parallel', status: 'active', started_at: sql<Date>`now()` })
          .returning('id')
          .executeTakeFirstOrThrow()
        for (const id of [session.id, fresh.id]) {
          await db.db
            .insertInto('agent_tasks')
            .values({ session_id: id, agent_role: 'software_architect', status: 'running', started_at: sql<Date>`now() - ${sql.raw(id === session.id ? "interval '1 hour'" : "interval '0 s'")}` })
            .execute()
        }
        expect(await waitForEnd(db.db, session.id)).toBe('failed')
        const task = (await tasksByRole(db.db, session.id)).get('software_architect')
        expect(task?.status).toBe('failed')
        expect(task?.error_message).toStartWith('the task was stuck: running with no job and no pending message for over 61 s')
        const types = (await db.db.selectFrom('session_events').select('type').where('session_id', '=', session.id).orderBy('seq').execute()).map((e) => e.type)
        expect(types).toEqual(['task_failed', 'session_failed'])
        // A task that started just now is left alone.
        expect((await tasksByRole(db.db, fresh.id)).get('software_architect')?.status).toBe('running')
      } finally {
        await orch.stop()
        await db.close()
      }
    })
  })
}

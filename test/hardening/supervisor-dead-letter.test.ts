/**
 * Issue 23 item 2: a dead letter addressed to a session's supervisor ends its session `failed`
 * with the reason. The runtime tells an actor without a supervisor of its own dead letter (an
 * ActorFailed naming itself); the supervisor's handler ends the session in that one commit.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type Behaviour, listDeadLetters } from '../../src/actors/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from '../orchestration/support.ts'

setDefaultTimeout(60_000)

const { redisUrl, redisPrefix } = testServices()

/** The supervisor whose handler of `type` always throws, for the given role when the message names one. */
function failingSupervisor(type: string, role?: string): (b: Behaviour) => Behaviour {
  return (inner) =>
    inner.kind !== 'session'
      ? inner
      : {
          ...inner,
          receive(message, ctx) {
            const named = (message.payload as { role?: string } | null)?.role
            if (message.type === type && (role === undefined || named === role)) throw new Error('the supervisor cannot take this')
            return inner.receive(message, ctx)
          },
        }
}

for (const engine of testEngines()) {
  const transport = engine.name === 'postgres' && redisUrl ? 'Redis Streams' : 'in-process'
  describe(`a dead letter for a session's supervisor (${engine.name}, ${transport})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: transport === 'Redis Streams' ? `${redisPrefix}sdl${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { TASK_MAX_RETRIES: '2', SIM_LATENCY_MS: '0' },
        wrap: failingSupervisor('session.task-succeeded', 'backend_developer'),
      })
    })
    afterAll(async () => {
      await orch?.stop()
      await db?.close()
    })

    const eventsOf = (sid: number) =>
      db.db.selectFrom('session_events').select(['seq', 'type', 'data']).where('session_id', '=', sid).orderBy('seq').execute()

    it('ends the session failed with the reason, each event once, nothing left running', async () => {
      const owner = await newTeam(db.db)
      const sid = await startSession(db.db, orch.control, owner, { feature_name: 'Invoice export', description: 'CSV export of invoices.' })
      expect(await waitForEnd(db.db, sid)).toBe('failed')
      const tasks = await tasksByRole(db.db, sid)
      expect(tasks.get('backend_developer')?.status).toBe('completed')
      const statuses = [...tasks.values()].map((t) => t.status)
      expect(statuses.filter((s) => s === 'running' || s === 'pending')).toEqual([])
      const failed = [...tasks.values()].filter((t) => t.status === 'failed')
      expect(failed.length).toBeGreaterThanOrEqual(1)
      for (const t of failed) {
        expect(t.error_message).toStartWith("the session's supervisor could not handle its message session.task-succeeded: handler failed 5 times: the supervisor cannot take this")
      }

      // Let anything late arrive (aborted attempts, timers) before counting events.
      await Bun.sleep(500)
      const events = await eventsOf(sid)
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1))
      expect(events.filter((e) => e.type === 'session_failed')).toHaveLength(1)
      expect(events.at(-1)?.type).toBe('session_failed')
      const failures = events.filter((e) => e.type === 'task_failed').map((e) => (e.data as { task_id: number }).task_id)
      expect(failures.sort()).toEqual(failed.map((t) => t.id).sort())
      expect(events.filter((e) => e.type === 'task_completed' && (e.data as { agent_role: string }).agent_role === 'backend_developer')).toHaveLength(1)

      const letters = (await listDeadLetters(db.db, { limit: 1000 })).filter((l) => l.actor === `session/${sid}`)
      expect(letters.map((l) => l.messageType)).toEqual(['session.task-succeeded'])
      const jobs = await db.db.selectFrom('actor_jobs').select('id').where('actor', 'like', `agent/${sid}/%`).execute()
      expect(jobs).toEqual([])
    })
  })
}

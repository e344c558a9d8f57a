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
import { endForLostMessage, type SupervisorState } from '../../src/orchestration/index.ts'
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

describe('ending a session whose supervisor lost a message (the pure step)', () => {
  const task = (role: string, taskId: number, status: string, attempt: number, waitingRetry = false) => ({ role, taskId, status, attempt, waitingRetry }) as SupervisorState['tasks'][number]
  const state = (tasks: SupervisorState['tasks'], awaiting: SupervisorState['awaiting'] = null): SupervisorState => ({ sessionId: 1, status: 'active', tasks, graph: new Map(), awaiting })

  it('aborts running attempts, fails what ran with the reason, skips the rest, and waits for nothing', () => {
    const step = endForLostMessage(
      state(
        [
          task('software_architect', 1, 'completed', 1),
          task('backend_developer', 2, 'running', 1),
          task('database_administrator', 3, 'running', 2, true),
          task('frontend_developer', 4, 'awaiting_review', 1),
          task('ui_ux_designer', 5, 'pending', 0),
        ],
        'review',
      ),
      'why',
    )
    expect(step.commands).toEqual([
      { type: 'abort_task', role: 'backend_developer', taskId: 2, attempt: 1 },
      { type: 'task_failed', role: 'backend_developer', taskId: 2, attempt: 1, error: 'why' },
      { type: 'task_failed', role: 'database_administrator', taskId: 3, attempt: 2, error: 'why' },
      { type: 'task_failed', role: 'frontend_developer', taskId: 4, attempt: 1, error: 'why' },
      { type: 'tasks_ended', status: 'skipped', taskIds: [5] },
      { type: 'session_ended', status: 'failed' },
      { type: 'session_awaiting', awaiting: null },
    ])
    expect(step.state.status).toBe('failed')
  })

  it('fails the first unfinished task when none had run, so the reason is on the record; ignores an ended session', () => {
    const step = endForLostMessage(state([task('software_architect', 1, 'pending', 0), task('backend_developer', 2, 'pending', 0)]), 'why')
    expect(step.commands).toEqual([
      { type: 'task_failed', role: 'software_architect', taskId: 1, attempt: 1, error: 'why' },
      { type: 'tasks_ended', status: 'skipped', taskIds: [2] },
      { type: 'session_ended', status: 'failed' },
    ])
    expect(endForLostMessage(step.state, 'again')).toMatchObject({ commands: [], ignored: 'session_ended' })
  })
})

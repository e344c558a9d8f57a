import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type Kysely, sql } from 'kysely'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import type { Database, DatabaseHandle } from '../../src/db/index.ts'
import { type AppendedEventRow, appendEvents, eventAppendCtes, eventsFromRows, readEvents, SessionEventSchema } from '../../src/events/index.ts'
import {
  applySupervisorCommands,
  loadSupervisorState,
  recordTaskResult,
  type RoleDependencies,
  type SupervisorInput,
  superviseStep,
} from '../../src/orchestration/index.ts'
import { testEngines } from '../support/engines.ts'

// Integration tests start databases: more than bun's 5 s default.
setDefaultTimeout(60_000)

let unique = 0
async function newSession(db: Kysely<Database>, withTasks = false): Promise<number> {
  const tag = `ea${Date.now().toString(36)}${unique++}`
  const user = await db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: tag, owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  const session = await db
    .insertInto('execution_sessions')
    .values({ team_id: team.id, user_id: user.id, feature_name: tag, status: 'active', started_at: new Date(Date.now() - 5000) })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (withTasks) {
    await db
      .insertInto('agent_tasks')
      .values(AGENT_ROLES.map((role) => ({ session_id: session.id, agent_role: role, status: 'pending' as const, task_description: role })))
      .execute()
  }
  return session.id
}

const progress = (n: number) => ({
  type: 'task_progress' as const,
  data: { task_id: 1, agent_role: 'software_architect', attempt: 1, analysis: `part ${n}`, chars: n },
})

const ROLES: RoleDependencies[] = AGENT_ROLES.map((id, i) => ({ id, dependsOn: i === 0 ? [] : ['software_architect'] }))

async function step(db: Kysely<Database>, sessionId: number, input: SupervisorInput) {
  return db.transaction().execute(async (trx) => {
    const state = await loadSupervisorState(trx, sessionId, ROLES)
    if (!state) throw new Error('no session')
    const result = superviseStep(state, input, { maxRetries: 1, baseDelayMs: 1000, maxDelayMs: 10_000 })
    return applySupervisorCommands(trx, result.state, result.commands, new Date())
  })
}

for (const engine of testEngines()) {
  describe(`the event append fragment (${engine.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await engine.open()
    })
    afterAll(() => handle.close())

    it('numbers the events after the session counter and moves the counter past them', async () => {
      const sid = await newSession(handle.db)
      await handle.db.transaction().execute((trx) => appendEvents(trx, sid, [progress(1)]))
      const appended = await handle.db.transaction().execute((trx) => appendEvents(trx, sid, [progress(2), progress(3)]))
      expect(appended.map((e) => [e.id, e.type === 'task_progress' ? e.data.chars : null])).toEqual([
        ['2', 2],
        ['3', 3],
      ])
      const row = await handle.db.selectFrom('execution_sessions').select('event_seq').where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row.event_seq).toBe(3)
    })

    it('appends nothing, and keeps the counter, when its condition fails', async () => {
      const sid = await newSession(handle.db)
      const { rows } = await handle.db.transaction().execute((trx) =>
        sql<AppendedEventRow>`with ${eventAppendCtes({ sessionId: sid, events: [progress(1)], onlyIf: sql<boolean>`false` })}
          select session_id, seq, type, at, data from appended_events`.execute(trx),
      )
      expect(rows).toEqual([])
      expect(await readEvents(handle.db, sid, 0)).toEqual([])
      const row = await handle.db.selectFrom('execution_sessions').select('event_seq').where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row.event_seq).toBe(0)
    })

    it('applies the caller’s other session changes in the same update, and gives a session end its duration', async () => {
      const sid = await newSession(handle.db)
      const end = { type: 'session_completed' as const, data: { status: 'completed' as const, duration_seconds: null, tasks: [] } }
      const { rows } = await handle.db.transaction().execute((trx) =>
        sql<AppendedEventRow>`with ${eventAppendCtes({ sessionId: sid, events: [end], alsoSet: sql`status = 'completed', duration_seconds = 42` })}
          select session_id, seq, type, at, data from appended_events`.execute(trx),
      )
      const [event] = eventsFromRows(rows)
      expect(event?.type === 'session_completed' ? event.data.duration_seconds : 'missing').toBe(42)
      const row = await handle.db.selectFrom('execution_sessions').select(['status', 'event_seq']).where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row).toEqual({ status: 'completed', event_seq: 1 })
    })

    it('refuses an event whose data does not fit its type, before writing anything', async () => {
      const sid = await newSession(handle.db)
      const bad = { type: 'task_progress' as const, data: { task_id: 1, agent_role: 'x', attempt: 1, analysis: 'a' } }
      await expect(handle.db.transaction().execute((trx) => appendEvents(trx, sid, [progress(1), bad as never]))).rejects.toThrow()
      expect(await readEvents(handle.db, sid, 0)).toEqual([])
    })

    it('appends nothing for a session that no longer exists', async () => {
      expect(await handle.db.transaction().execute((trx) => appendEvents(trx, 2_000_000_000, [progress(1)]))).toEqual([])
    })

    it('stores what the supervisor and the agent write as events their types read back', async () => {
      const sid = await newSession(handle.db, true)
      await step(handle.db, sid, { type: 'start' })
      await step(handle.db, sid, { type: 'task_failed', role: 'software_architect', attempt: 1, error: 'x', retryable: true })
      await step(handle.db, sid, { type: 'retry_due', role: 'software_architect', attempt: 1 })
      const architect = await handle.db.selectFrom('agent_tasks').select('id').where('session_id', '=', sid).where('agent_role', '=', 'software_architect').executeTakeFirstOrThrow()
      const completed = await handle.db.transaction().execute((trx) =>
        recordTaskResult(trx, {
          sessionId: sid, now: new Date(), jobId: `run-agent:${architect.id}:2`, taskId: architect.id, role: 'software_architect', attempt: 2,
          outputJson: '{"decisions":[]}', decisions: [], model: 'sim-1', provider: 'simulated', inputTokens: 1, outputTokens: 1,
          costUsd: null, durationMs: 1, repaired: false, contextJson: '{}', capabilities: [], nodeId: 'n',
        }),
      )
      expect(completed?.type).toBe('task_completed')
      await step(handle.db, sid, { type: 'task_succeeded', role: 'software_architect', attempt: 2 })
      await step(handle.db, sid, { type: 'task_failed', role: 'backend_developer', attempt: 1, error: 'y', retryable: false })
      await step(handle.db, sid, { type: 'cancel' })
      const rows = await handle.db.selectFrom('session_events').select(['session_id', 'seq', 'type', 'at', 'data']).where('session_id', '=', sid).orderBy('seq').execute()
      expect(rows.map((r) => r.type)).toEqual([
        'task_started',
        'task_retrying',
        'task_started',
        'task_completed',
        ...Array.from({ length: 6 }, () => 'task_started'),
        'task_failed',
        'session_cancelled',
      ])
      expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
      // Every stored row reads back through its type's schema, as the API streams it.
      for (const r of rows) {
        expect(SessionEventSchema.safeParse({ id: String(r.seq), session_id: r.session_id, type: r.type, at: r.at.toISOString(), data: r.data }).success).toBe(true)
      }
      expect(eventsFromRows(rows)).toHaveLength(rows.length)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { appendEvents, type NewSessionEvent, type SessionEvent } from '../../src/events/index.ts'
import { createLiveHub, foldEvents, type LiveViewState, loadViewState } from '../../src/http/live/index.ts'
import { type LiveViewer, renderLiveEvent } from '../../src/http/pages/live-renderer.tsx'
import { silentLogger } from '../../src/log/index.ts'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(60_000)

let t: TestApp
let owner: ApiClient


const NOW = '2026-12-07T12:00:00.000Z'
const OWNER: LiveViewer = { can_control: true, can_manage: true }
const VIEWER: LiveViewer = { can_control: false, can_manage: false }

/** A three-agent session: its id and task ids in plan order (architect, backend, security). */
async function newSession(): Promise<{ id: number; tasks: [number, number, number] }> {
  const team = await owner.post('/api/teams', { name: 'Live hub team' })
  const res = await owner.post('/api/sessions', {
    team_id: team.body.team.id,
    feature_name: 'Shared renders',
    agents: ['software_architect', 'backend_developer', 'security_specialist'],
  })
  const id = res.body.session.id as number
  const rows = await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).orderBy('id').execute()
  return { id, tasks: rows.map((r) => r.id) as [number, number, number] }
}

/** Changes rows and appends events in one transaction, as the writers do; the stored events. */
async function step(sessionId: number, events: NewSessionEvent[], change?: (db: typeof t.deps.db) => Promise<unknown>): Promise<SessionEvent[]> {
  return t.deps.db.transaction().execute(async (trx) => {
    if (change) await change(trx)
    return appendEvents(trx, sessionId, events)
  })
}

/** A session's life, step by step, with the row changes its writers make (src/orchestration/session-records.ts). */
function lifeOf(s: { id: number; tasks: [number, number, number] }): (() => Promise<SessionEvent[]>)[] {
  const [architect, backend, security] = s.tasks
  return [
    () =>
      step(s.id, [{ type: 'task_started', data: { task_id: architect, agent_role: 'software_architect', attempt: 1 } }], (db) =>
        db.updateTable('agent_tasks').set({ status: 'running', started_at: sql`coalesce(started_at, now())`, retry_count: 0, retry_at: null }).where('id', '=', architect).execute(),
      ),
    () => step(s.id, [{ type: 'task_progress', data: { task_id: architect, agent_role: 'software_architect', attempt: 1, analysis: 'Reading <it>', chars: 12, output_tokens: 3, cost_usd: 0.01 } }]),
    () =>
      step(
        s.id,
        [
          {
            type: 'task_retrying',
            data: { task_id: architect, agent_role: 'software_architect', failed_attempt: 1, next_attempt: 2, retry_at: new Date(Date.now() + 1000).toISOString(), error: 'overloaded' },
          },
        ],
        (db) => db.updateTable('agent_tasks').set({ retry_count: 1, retry_at: sql`now() + interval '1 second'`, error_message: 'overloaded' }).where('id', '=', architect).execute(),
      ),
    () =>
      step(s.id, [{ type: 'task_started', data: { task_id: architect, agent_role: 'software_architect', attempt: 2 } }], (db) =>
        db.updateTable('agent_tasks').set({ status: 'running', started_at: sql`coalesce(started_at, now())`, retry_count: 1, retry_at: null }).where('id', '=', architect).execute(),
      ),
    () =>
      step(s.id, [{ type: 'task_completed', data: { task_id: architect, agent_role: 'software_architect', attempt: 2 } }], async (db) => {
        await db
          .updateTable('agent_tasks')
          .set({ status: 'completed', completed_at: sql`now()`, duration_seconds: 2, output_tokens: 700, input_tokens: 900, cost_usd: 0.02, model: 'simulated', output_data: JSON.stringify({ summary: 'A plan' }) })
          .where('id', '=', architect)
          .execute()
        await db.insertInto('task_decisions').values({ agent_task_id: architect, decision_text: 'Use <queues>', rationale: 'Load' }).execute()
      }),
    () =>
      step(s.id, [{ type: 'task_started', data: { task_id: backend, agent_role: 'backend_developer', attempt: 1 } }], (db) =>
        db.updateTable('agent_tasks').set({ status: 'running', started_at: sql`coalesce(started_at, now())`, retry_count: 0, retry_at: null }).where('id', '=', backend).execute(),
      ),
    () =>
      step(
        s.id,
        [{ type: 'task_failed', data: { task_id: backend, agent_role: 'backend_developer', attempt: 1, error: 'boom', skipped_tasks: [{ task_id: security, agent_role: 'security_specialist' }] } }],
        async (db) => {
          await db.updateTable('agent_tasks').set({ status: 'failed', completed_at: sql`now()`, duration_seconds: 1, error_message: 'boom' }).where('id', '=', backend).execute()
          await db.updateTable('agent_tasks').set({ status: 'skipped', completed_at: sql`now()` }).where('id', '=', security).execute()
        },
      ),
    () =>
      step(s.id, [{ type: 'session_failed', data: { status: 'failed', duration_seconds: 3, tasks: [] } }], (db) =>
        db.updateTable('execution_sessions').set({ status: 'failed', ended_at: sql`now()`, duration_seconds: 3 }).where('id', '=', s.id).execute(),
      ),
  ]
}

async function renders(state: LiveViewState, event: SessionEvent): Promise<string[]> {
  return [await renderLiveEvent(state, event, OWNER, NOW), await renderLiveEvent(state, event, VIEWER, NOW)]
}

/** Reads SSE frames (id or event name, and data) from a hub stream until `until` holds or it ends. */
async function frames(stream: ReadableStream<Uint8Array>, until: (f: { id: string | null; event: string | null; data: string }[]) => boolean) {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const out: { id: string | null; event: string | null; data: string }[] = []
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return out
    buffer += decoder.decode(value, { stream: true })
    for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
      const lines = buffer
        .slice(0, end)
        .split('\n')
        .filter((l) => !l.startsWith(':'))
      buffer = buffer.slice(end + 2)
      if (lines.length === 0) continue
      const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null
      out.push({ id: field('id'), event: field('event'), data: lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n') })
      if (until(out)) {
        reader.releaseLock()
        return out
      }
    }
  }
}

// Each engine in turn (one app at a time: the helpers above use `t` and `owner`).
for (const engine of testEngines()) {
  describe(`on ${engine.name}`, () => {
    beforeAll(async () => {
      t = await startTestApp({ engine })
      owner = await signUp(t.app)
    })
    afterAll(() => t.close())

    describe('a session’s live view state', () => {
      it('folded event by event, renders every event as the rows freshly loaded do', async () => {
        const s = await newSession()
        const state = (await loadViewState(t.deps.db, s.id)) as LiveViewState
        expect(state.seq).toBe(0)
        const seen: SessionEvent[] = []
        for (const next of lifeOf(s)) {
          const events = await next()
          await foldEvents(t.deps.db, state, events)
          const fresh = (await loadViewState(t.deps.db, s.id)) as LiveViewState
          expect(state.seq).toBe(fresh.seq)
          seen.push(...events)
          // Every event so far (a resuming client's backlog too) renders alike from both.
          for (const event of seen) expect(await renders(state, event)).toEqual(await renders(fresh, event))
        }
        expect(state.tasks.map((task) => task.status)).toEqual(['completed', 'failed', 'skipped'])
      })

      it('ignores an event it already holds (a repeat or a replay changes nothing)', async () => {
        const s = await newSession()
        const life = lifeOf(s)
        const started = await (life[0] as () => Promise<SessionEvent[]>)()
        await (life[1] as () => Promise<SessionEvent[]>)()
        await (life[2] as () => Promise<SessionEvent[]>)()
        const state = (await loadViewState(t.deps.db, s.id)) as LiveViewState
        const before = structuredClone(state)
        // task_started of attempt 1 again: the task has since scheduled its retry (retry_count 1).
        await foldEvents(t.deps.db, state, started)
        expect(state).toEqual(before)
      })
    })

    describe('the live hub', () => {
      it('sends each client of a session the same frames per viewer kind, resumes a client from the log, ends every stream after the end, and then drops the session', async () => {
        const hub = createLiveHub({ db: t.deps.db, feed: t.deps.feed, log: silentLogger(), clock: () => new Date(NOW), idleMs: 0 })
        try {
          const s = await newSession()
          const life = lifeOf(s)
          await (life[0] as () => Promise<SessionEvent[]>)()
          const stop = new AbortController()
          const open = (after: number, viewer: LiveViewer | null) =>
            hub.sse(s.id, after, viewer ? { json: false, viewer } : { json: true }, stop.signal, { doneEvent: viewer !== null }) as Promise<ReadableStream<Uint8Array>>
          // Two owners (one resuming from the start), a viewer, a JSON client.
          const [resuming, ownerStream, viewerStream, jsonStream] = await Promise.all([open(0, OWNER), open(1, OWNER), open(1, VIEWER), open(1, null)])
          expect(hub.sessions()).toBe(1)
          expect(hub.clients()).toBe(4)
          const reading = [resuming, ownerStream, viewerStream, jsonStream].map((st) => frames(st, () => false))
          for (const next of life.slice(1)) await next()
          const [all = [], mine = [], theirs = [], json = []] = await Promise.all(reading)
          const ids = (list: { id: string | null; event: string | null }[]) => list.map((f) => f.id ?? f.event)
          expect(ids(all)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', 'done'])
          expect(ids(mine)).toEqual(['2', '3', '4', '5', '6', '7', '8', 'done'])
          expect(ids(theirs)).toEqual(['2', '3', '4', '5', '6', '7', '8', 'done'])
          expect(ids(json)).toEqual(['2', '3', '4', '5', '6', '7', '8'])
          // Live frames are one render per viewer kind: the two owners got the same bytes, the viewer other ones.
          expect(mine).toEqual(all.slice(1))
          const ended = (list: typeof all) => list.find((f) => f.id === '8')?.data ?? ''
          expect(ended(mine)).toContain('Fork')
          expect(ended(theirs)).not.toContain('Fork')
          expect(ended(theirs)).toContain('data-status="failed"')
          expect(JSON.parse(json[json.length - 1]?.data ?? '{}')).toMatchObject({ id: '8', type: 'session_failed', session_id: s.id })
          // Every stream ended after the terminal event; with no client left, the state is dropped.
          for (let i = 0; i < 500 && hub.sessions() > 0; i++) await Bun.sleep(10)
          expect(hub.sessions()).toBe(0)
          expect(hub.clients()).toBe(0)
          stop.abort()
        } finally {
          await hub.close()
        }
      })

      it('drops an idle session’s state once its last client leaves', async () => {
        const hub = createLiveHub({ db: t.deps.db, feed: t.deps.feed, log: silentLogger(), idleMs: 0 })
        try {
          const s = await newSession()
          const leave = new AbortController()
          const stream = await hub.sse(s.id, 0, { json: false, viewer: OWNER }, leave.signal, { doneEvent: true })
          expect(stream).not.toBeNull()
          expect(hub.sessions()).toBe(1)
          leave.abort()
          for (let i = 0; i < 500 && hub.sessions() > 0; i++) await Bun.sleep(10)
          expect(hub.sessions()).toBe(0)
          expect(await hub.sse(999_999_999, 0, { json: true }, new AbortController().signal, { doneEvent: false })).toBeNull()
        } finally {
          await hub.close()
        }
      })
    })
  })
}

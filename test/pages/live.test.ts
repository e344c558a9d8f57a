import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { appendEvents, type NewSessionEvent } from '../../src/events/index.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { PageClient } from './page-client.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
let owner: ApiClient

beforeAll(async () => {
  t = await startTestApp()
  owner = await signUp(t.app)
})

afterAll(async () => {
  await t.close()
})

/** A session of two agents (architect, backend) in a fresh team; returns its id and task ids. */
async function newSession(): Promise<{ id: number; architect: number; backend: number }> {
  const team = await owner.post('/api/teams', { name: 'Live team', is_shared: true })
  const res = await owner.post('/api/sessions', { team_id: team.body.team.id, feature_name: 'Live feature', agents: ['software_architect', 'backend_developer'] })
  const id = res.body.session.id as number
  const tasks = await t.deps.db.selectFrom('agent_tasks').select(['id', 'agent_role']).where('session_id', '=', id).orderBy('id').execute()
  return { id, architect: tasks[0]?.id ?? 0, backend: tasks[1]?.id ?? 0 }
}

/** Changes rows and appends events in one transaction, as the supervisor does. */
async function step(sessionId: number, events: NewSessionEvent[], change?: (db: typeof t.deps.db) => Promise<unknown>): Promise<void> {
  await t.deps.db.transaction().execute(async (trx) => {
    if (change) await change(trx)
    await appendEvents(trx, sessionId, events)
  })
}

async function startArchitect(s: { id: number; architect: number }): Promise<void> {
  await step(s.id, [{ type: 'session_started', data: { feature_name: 'Live feature', plan: 'dag', tasks: [] } }])
  await step(s.id, [{ type: 'task_started', data: { task_id: s.architect, agent_role: 'software_architect', attempt: 1 } }], (db) =>
    db.updateTable('agent_tasks').set({ status: 'running', started_at: sql`now()` }).where('id', '=', s.architect).execute(),
  )
  await step(s.id, [{ type: 'task_progress', data: { task_id: s.architect, agent_role: 'software_architect', attempt: 1, analysis: 'Reading <the> feature', chars: 21 } }])
}

async function endSession(s: { id: number }): Promise<void> {
  await step(s.id, [{ type: 'session_completed', data: { status: 'completed', duration_seconds: 1, tasks: [] } }], async (db) => {
    await db.updateTable('agent_tasks').set({ status: 'cancelled', completed_at: sql`now()` }).where('session_id', '=', s.id).where('status', 'in', ['pending', 'running']).execute()
    await db.updateTable('execution_sessions').set({ status: 'completed', ended_at: sql`now()`, duration_seconds: 1 }).where('id', '=', s.id).execute()
  })
}

/** One parsed SSE frame. */
interface Frame {
  id: string | null
  event: string | null
  data: string
}

/** Reads SSE frames until the stream ends (or `until` says stop), skipping comments. */
async function readFrames(res: Response, until: (frames: Frame[]) => boolean = () => false): Promise<Frame[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  const frames: Frame[] = []
  let buffer = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return frames
      buffer += decoder.decode(value, { stream: true })
      let end = buffer.indexOf('\n\n')
      while (end !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        const lines = block.split('\n').filter((l) => !l.startsWith(':'))
        if (lines.length === 0) continue
        const value = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? null
        const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n')
        frames.push({ id: value('id'), event: value('event'), data })
        if (until(frames)) return frames
      }
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

function stream(client: PageClient, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return t.app.handle(new Request(`http://localhost${path}`, { headers: { cookie: `sage_session=${client.cookie}`, ...headers } }))
}

describe('GET /sessions/:id/stream (HTML fragments over SSE)', () => {
  it('resumes right after Last-Event-ID with no repeats, replaces elements out of band, and ends with a done event', async () => {
    const s = await newSession()
    await startArchitect(s)
    const client = new PageClient(t.app, owner)
    const res = await stream(client, `/sessions/${s.id}/stream?after=0`, { 'last-event-id': '1' })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    // End the session only once the first two frames arrived, so they show the running card.
    let ending: Promise<void> | null = null
    const frames = await readFrames(res, (f) => {
      if (f.length === 2) ending = endSession(s)
      return false
    })
    await ending
    expect(frames.map((f) => f.id ?? f.event)).toEqual(['2', '3', '4', 'done'])
    const [started, progress, ended] = frames
    expect(started?.data).toContain(`<li id="task-${s.architect}" class="agent-card agent-card-running" hx-swap-oob="true"`)
    expect(started?.data).toContain('id="session-summary"')
    expect(started?.data).toContain('id="timeline-chart"')
    expect(progress?.data).toContain(`hx-target="#task-${s.architect}-stream"`)
    expect(ended?.data).toContain('data-status="cancelled"')
    expect(ended?.data).toContain('Completed')
  })

  it('streams the whole analysis so far into a running card (replace, not append), escaped', async () => {
    const s = await newSession()
    await startArchitect(s)
    const client = new PageClient(t.app, owner)
    const frames = await readFrames(await stream(client, `/sessions/${s.id}/stream?after=2`), (f) => f.length >= 1)
    expect(frames[0]?.id).toBe('3')
    expect(frames[0]?.data).toBe(
      `<hx-partial hx-target="#task-${s.architect}-stream" hx-swap="innerHTML"><span>Reading &lt;the&gt; feature</span></hx-partial>`,
    )
    await endSession(s)
  })

  it('sends done at once to a client that has seen every event of an ended session', async () => {
    const s = await newSession()
    await startArchitect(s)
    await endSession(s)
    const client = new PageClient(t.app, owner)
    const frames = await readFrames(await stream(client, `/sessions/${s.id}/stream`, { 'last-event-id': '4' }))
    expect(frames).toEqual([{ id: null, event: 'done', data: 'ended' }])
  })

  it('refuses a stream without a login (401) and to a non-member (404)', async () => {
    const s = await newSession()
    const anon = await t.app.handle(new Request(`http://localhost/sessions/${s.id}/stream`))
    expect(anon.status).toBe(401)
    const stranger = new PageClient(t.app, await signUp(t.app))
    expect((await stream(stranger, `/sessions/${s.id}/stream`)).status).toBe(404)
  })
})

describe('WS /ws/sessions/:id', () => {
  let base: string

  beforeAll(() => {
    t.app.listen({ port: 0, hostname: '127.0.0.1' })
    base = `127.0.0.1:${t.app.server?.port}`
  })

  afterAll(async () => {
    await t.app.stop(true)
  })

  /** Opens a socket as `owner`; collects messages until the server closes it. */
  function follow(path: string, origin = `http://${base}`): Promise<{ messages: string[]; code: number }> {
    const ws = new WebSocket(`ws://${base}${path}`, { headers: { cookie: `sage_session=${owner.cookie}`, origin } } as unknown as string[])
    const messages: string[] = []
    return new Promise((resolve) => {
      ws.onmessage = (e) => messages.push(String(e.data))
      ws.onclose = (e) => resolve({ messages, code: e.code })
    })
  }

  it('sends HTML fragments after ?after= and closes normally after the terminal event', async () => {
    const s = await newSession()
    await startArchitect(s)
    const done = follow(`/ws/sessions/${s.id}?after=1`)
    await Bun.sleep(50)
    await endSession(s)
    const { messages, code } = await done
    expect(code).toBe(1000)
    expect(messages).toHaveLength(3)
    expect(messages[0]).toContain(`<li id="task-${s.architect}"`)
    expect(messages[2]).toContain('id="session-summary"')
    expect(messages.join('')).not.toContain('"type"')
  })

  it('sends JSON events with ?format=json', async () => {
    const s = await newSession()
    await startArchitect(s)
    const done = follow(`/ws/sessions/${s.id}?format=json&after=2`)
    await Bun.sleep(50)
    await endSession(s)
    const { messages } = await done
    const events = messages.map((m) => JSON.parse(m))
    expect(events.map((e) => [e.id, e.type])).toEqual([
      ['3', 'task_progress'],
      ['4', 'session_completed'],
    ])
    expect(events[0].data.analysis).toBe('Reading <the> feature')
  })

  it('refuses an upgrade from another origin', async () => {
    const s = await newSession()
    const { messages, code } = await follow(`/ws/sessions/${s.id}`, 'http://evil.example')
    expect(messages).toEqual([])
    expect(code).not.toBe(1000)
  })
})

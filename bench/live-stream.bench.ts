/**
 * The live streams (issue 22, target 2): 1,000 SSE clients on 10 sessions, on the live HTML
 * stream (`/sessions/:id/stream`) and the JSON stream (`/api/sessions/:id/events`) of one web
 * process (a child: `bun bench/live-stream.bench.ts --serve`, PostgreSQL + the Redis event bus),
 * beside a bare Bun SSE relay (a child: `--relay`: Redis pub/sub → one encoded frame → every
 * client) in the same run. The bench appends each event to the log (as a writer would, in a
 * transaction that also moves its task row), then announces it on Redis and times announce →
 * the client's read of the frame carrying its id: p50 / p95 / p99 over every (event, client)
 * after the first stage (a warm-up: JIT, the pool's connections; for every subject alike).
 * The clients are raw TCP sockets (no per-request limit of fetch). Also the web process's RSS
 * with 1,000 clients connected. Targets: p95 ≤ 25 ms on both streams; RSS ≤ 200 MB.
 */
import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { createAuthBackends } from '../src/auth/index.ts'
import { parseConfig } from '../src/config/index.ts'
import { connectDatabase, type DatabaseHandle } from '../src/db/index.ts'
import { appendEvents, createEventFeed, createRedisEventBus, type NewSessionEvent, type SessionEvent } from '../src/events/index.ts'
import { createApp } from '../src/http/index.ts'
import { silentLogger } from '../src/log/index.ts'
import { createMetricsRegistry } from '../src/metrics/index.ts'
import { connectRedis } from '../src/redis/index.ts'
import { createDirectSessionControl } from '../test/orchestration/direct-session-control.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

export interface LiveBenchEnv {
  database: DatabaseHandle
  databaseUrl: string
  redisUrl: string
  prefix: string
}

const SESSIONS = 10
const CLIENTS = 1000
const BENCH = 'live streams, 1,000 SSE clients on 10 sessions, announce → client'

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number.parseInt(line?.split(/\s+/)[1] ?? 'NaN', 10) / 1024
}

/** A child process of this file (`--serve` or `--relay`); resolves with it once it prints its port. */
async function spawnChild(mode: '--serve' | '--relay', env: Record<string, string>): Promise<{ proc: ReturnType<typeof Bun.spawn>; port: number }> {
  const proc = Bun.spawn(['bun', import.meta.path, mode], { env: { ...process.env, ...env }, stdout: 'pipe', stderr: 'inherit' })
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  let text = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`bench: ${mode} child ended before it listened`)
    text += new TextDecoder().decode(value)
    const m = /port=(\d+)/.exec(text)
    if (m) {
      reader.releaseLock()
      return { proc, port: Number(m[1]) }
    }
  }
}

/** Raw SSE clients: counts each frame's id as it is read, with the time it was read. */
interface Clients {
  connected(): number
  /** Bytes read by every client together. */
  bytes(): number
  close(): void
}

const ID_MARK = Buffer.from('\nid: ')
const OPEN_MARK = Buffer.from(': open')

async function connectClients(
  port: number,
  paths: { path: string; session: number }[],
  headers: string,
  onFrame: (session: number, seq: number, at: number) => void,
): Promise<Clients> {
  const sockets: { end(): void }[] = []
  let open = 0
  let bytes = 0
  await Promise.all(
    paths.map(async ({ path, session }) => {
      let carry: Buffer = Buffer.alloc(0)
      let opened = false
      const socket = await Bun.connect({
        hostname: '127.0.0.1',
        port,
        socket: {
          data(_s, chunk) {
            const at = performance.now()
            bytes += chunk.length
            // Native byte search (no string per chunk): the cost of reading stays small beside the server's.
            const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk
            if (!opened && buf.includes(OPEN_MARK)) {
              opened = true
              open++
            }
            let end = 0
            for (let i = buf.indexOf(ID_MARK); i !== -1; i = buf.indexOf(ID_MARK, end)) {
              const nl = buf.indexOf(10, i + ID_MARK.length)
              if (nl === -1) break
              onFrame(session, Number(buf.toString('latin1', i + ID_MARK.length, nl)), at)
              end = nl
            }
            carry = Buffer.from(buf.subarray(Math.max(end, buf.length - 24)))
          },
          close() {
            if (opened) open--
          },
        },
      })
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n${headers}\r\n`)
      sockets.push(socket)
    }),
  )
  return {
    connected: () => open,
    bytes: () => bytes,
    close() {
      for (const s of sockets) s.end()
    },
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`)
    await Bun.sleep(10)
  }
}

/** Signs up over HTTP, makes a team and 10 seven-agent sessions; the cookie and the session ids. */
async function prepare(web: string): Promise<{ cookie: string; sessions: number[] }> {
  const name = `live${Date.now().toString(36)}`
  const signup = await fetch(`${web}/api/auth/signup`, {
    method: 'POST',
    headers: { origin: web, 'content-type': 'application/json' },
    body: JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }),
  })
  if (signup.status !== 201) throw new Error(`bench: signup ${signup.status}`)
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
  const { csrf_token } = (await signup.json()) as { csrf_token: string }
  const headers = { origin: web, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${web}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
    if (res.status >= 300) throw new Error(`bench: ${path} ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const team = await post<{ team: { id: number } }>('/api/teams', { name: 'Live bench team' })
  const sessions: number[] = []
  for (let i = 0; i < SESSIONS; i++) {
    const { session } = await post<{ session: { id: number } }>('/api/sessions', { team_id: team.team.id, feature_name: `Live bench ${i}` })
    sessions.push(session.id)
  }
  return { cookie, sessions }
}

/** A session's life as events, one commit each: a stage of three starts at once, streams, completes; then the next. */
function script(tasks: { id: number; role: string }[], progressPerTask: number): { events: NewSessionEvent[]; rows: (trx: DatabaseHandle['db']) => Promise<void> }[] {
  const steps: { events: NewSessionEvent[]; rows: (trx: DatabaseHandle['db']) => Promise<void> }[] = []
  for (let stage = 0; stage < tasks.length; stage += 3) {
    const group = tasks.slice(stage, stage + 3)
    steps.push({
      events: group.map((t) => ({ type: 'task_started', data: { task_id: t.id, agent_role: t.role, attempt: 1 } }) as NewSessionEvent),
      rows: async (trx) => {
        await trx.updateTable('agent_tasks').set({ status: 'running', started_at: sql<Date>`now()`, retry_count: 0 }).where('id', 'in', group.map((t) => t.id)).execute()
      },
    })
    for (let p = 1; p <= progressPerTask; p++) {
      for (const t of group) {
        const analysis = `Analysis of ${t.role}, part ${p}: ${'the design holds; '.repeat(p * 4)}`
        steps.push({
          events: [{ type: 'task_progress', data: { task_id: t.id, agent_role: t.role, attempt: 1, analysis, chars: analysis.length, output_tokens: Math.ceil(analysis.length / 4), cost_usd: 0.0001 * p } }],
          rows: async () => {},
        })
      }
    }
    for (const t of group) {
      steps.push({
        events: [{ type: 'task_completed', data: { task_id: t.id, agent_role: t.role, attempt: 1 } }],
        rows: async (trx) => {
          await trx
            .updateTable('agent_tasks')
            .set({ status: 'completed', completed_at: sql<Date>`now()`, duration_seconds: 1, output_tokens: 800, input_tokens: 1200, cost_usd: 0.01, model: 'simulated' })
            .where('id', '=', t.id)
            .execute()
        },
      })
    }
  }
  return steps
}

interface StreamRun {
  samples: number[]
  /** The same, of task_progress events alone, and of task_started / task_completed alone. */
  progress: number[]
  boundary: number[]
  missing: number
  /** Bytes a client read per event (frames, heartbeats and HTTP chunking included). */
  bytesPerEvent: number
}

/**
 * Connects 100 clients to each session at `pathOf(session)`, then plays every session's script
 * (one commit every `gapMs`, sessions interleaved), announcing each commit after it; the latency of every frame.
 */
async function runStream(
  env: LiveBenchEnv,
  port: number,
  cookie: string,
  sessions: number[],
  pathOf: (session: number, after: number) => string,
  progressPerTask: number,
  gapMs: number,
  announce: (events: SessionEvent[]) => Promise<void>,
  rss: (() => number) | null,
): Promise<StreamRun & { rssMb: number | null }> {
  const { db } = env.database
  const announcedAt = new Map<string, number>()
  // The events that stream (no read to render) and those at a task's start or end (one read).
  const progressOf = new Set<string>()
  const progress: number[] = []
  const boundary: number[] = []
  const samples: number[] = []
  let received = 0
  const seqs = new Map<number, number>()
  for (const id of sessions) {
    const row = await db.selectFrom('execution_sessions').select('event_seq').where('id', '=', id).executeTakeFirstOrThrow()
    seqs.set(id, row.event_seq)
  }
  const paths = Array.from({ length: CLIENTS }, (_, i) => {
    const session = sessions[i % sessions.length] as number
    return { session, path: pathOf(session, seqs.get(session) as number) }
  })
  const clients = await connectClients(port, paths, `Cookie: ${cookie}\r\n`, (session, seq, at) => {
    const t0 = announcedAt.get(`${session}:${seq}`)
    if (t0 === undefined) return
    samples.push(at - t0)
    received++
    ;(progressOf.has(`${session}:${seq}`) ? progress : boundary).push(at - t0)

  })
  try {
    await waitFor('1,000 streams open', () => clients.connected() === CLIENTS, 60_000)
    const plans = await Promise.all(
      sessions.map(async (id) => {
        const tasks = await db.selectFrom('agent_tasks').select(['id', 'agent_role']).where('session_id', '=', id).where('status', '=', 'pending').orderBy('id').execute()
        return { id, steps: script(tasks.map((t) => ({ id: t.id, role: t.agent_role })), progressPerTask) }
      }),
    )
    let expected = 0
    const warmupSteps = 1 + 3 * progressPerTask + 3
    const longest = Math.max(...plans.map((p) => p.steps.length))
    for (let i = 0; i < longest; i++) {
      for (const plan of plans) {
        const step = plan.steps[i]
        if (!step) continue
        const stored = await db.transaction().execute(async (trx) => {
          await step.rows(trx)
          return appendEvents(trx, plan.id, step.events)
        })
        const t0 = performance.now()
        // The first stage warms up (JIT, the pool's connections): not measured, for every subject alike.
        if (i >= warmupSteps) {
          for (const e of stored) announcedAt.set(`${plan.id}:${e.id}`, t0)
          for (const e of stored) if (e.type === 'task_progress') progressOf.add(`${plan.id}:${e.id}`)
          expected += stored.length * (CLIENTS / sessions.length)
        }
        await announce(stored)
        await Bun.sleep(gapMs)
      }
    }
    await waitFor('every frame', () => received >= expected, 30_000).catch(() => undefined)
    const rssNow = rss ? rss() : null
    return { samples, progress, boundary, missing: expected - received, rssMb: rssNow, bytesPerEvent: clients.bytes() / Math.max(1, received) }
  } finally {
    clients.close()
  }
}

/** The `live` phase: the HTML and JSON streams of one web process, and the bare relay, 1,000 clients each. */
export async function benchLiveStream(env: LiveBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const childEnv = { BENCH_LIVE_DATABASE_URL: env.databaseUrl, BENCH_LIVE_REDIS_URL: env.redisUrl, BENCH_LIVE_PREFIX: env.prefix }
  const web = await spawnChild('--serve', childEnv)
  const relay = await spawnChild('--relay', childEnv)
  const redis = await connectRedis(env.redisUrl, silentLogger())
  const bus = await createRedisEventBus(redis, env.prefix, silentLogger())
  const progressPerTask = sizes.smoke ? 3 : 8
  const gapMs = 5
  const results: BenchResult[] = []
  const add = (stream: string, run: StreamRun & { rssMb: number | null }, subject: BenchResult['subject']): void => {
    const bench = `${BENCH} · ${stream}`
    for (const [metric, q] of [
      ['p50', 0.5],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      results.push({ benchmark: bench, metric, subject, value: quantile(run.samples, q), unit: 'ms' })
    }
    results.push({ benchmark: bench, metric: 'p95, task_progress only', subject, value: quantile(run.progress, 0.95), unit: 'ms' })
    results.push({ benchmark: bench, metric: 'p95, task_started / task_completed only', subject, value: quantile(run.boundary, 0.95), unit: 'ms' })
    results.push({ benchmark: bench, metric: 'bytes a client reads per event', subject, value: run.bytesPerEvent, unit: 'B' })
    if (run.missing > 0) results.push({ benchmark: bench, metric: 'frames missing', subject, value: run.missing, unit: 'frames' })
    if (run.rssMb !== null) results.push({ benchmark: bench, metric: 'web RSS at 1,000 clients', subject, value: run.rssMb, unit: 'MB' })
  }
  try {
    const base = `http://127.0.0.1:${web.port}`
    const { cookie, sessions } = await prepare(base)
    const announce = (events: SessionEvent[]) => bus.publish(events)
    const rss = () => rssMb(web.proc.pid)
    // Each stream gets fresh sessions' worth of pending tasks: the HTML run, then the JSON run, then the relay.
    const html = await runStream(env, web.port, cookie, sessions, (id, after) => `/sessions/${id}/stream?after=${after}`, progressPerTask, gapMs, announce, rss)
    add('HTML stream (/sessions/:id/stream)', html, 'sage')
    await env.database.db.updateTable('agent_tasks').set({ status: 'pending', started_at: null, completed_at: null }).where('session_id', 'in', sessions).execute()
    const json = await runStream(env, web.port, cookie, sessions, (id, after) => `/api/sessions/${id}/events?after=${after}`, progressPerTask, gapMs, announce, rss)
    add('JSON stream (/api/sessions/:id/events)', json, 'sage')
    await env.database.db.updateTable('agent_tasks').set({ status: 'pending', started_at: null, completed_at: null }).where('session_id', 'in', sessions).execute()
    const bare = await runStream(env, relay.port, cookie, sessions, (id) => `/s/${id}`, progressPerTask, gapMs, announce, null)
    add('bare Bun SSE relay (Redis → one frame → every client)', bare, 'redis-streams')
    return results
  } finally {
    await bus.close()
    redis.destroy()
    web.proc.kill()
    relay.proc.kill()
  }
}

/** `--serve`: the web process (PostgreSQL, the Redis event bus); prints `port=N`. */
async function serve(): Promise<void> {
  const databaseUrl = process.env.BENCH_LIVE_DATABASE_URL as string
  const redisUrl = process.env.BENCH_LIVE_REDIS_URL as string
  const prefix = process.env.BENCH_LIVE_PREFIX as string
  const parsed = parseConfig({ LOG_LEVEL: 'silent', PORT: '0', NODE_ID: 'bench-live', REDIS_PREFIX: prefix })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const config = parsed.config
  const log = silentLogger()
  const database = await connectDatabase({ databaseUrl, log, poolSize: 10 })
  const redis = await connectRedis(redisUrl, log)
  const bus = await createRedisEventBus(redis, prefix, log)
  const shutdown = new AbortController()
  const app = createApp({
    config,
    db: database.db,
    redis,
    log,
    shutdown: shutdown.signal,
    ...createAuthBackends({ db: database.db, redis, redisPrefix: prefix, sessionTtlSeconds: config.SESSION_TTL_SECONDS }),
    sessionControl: createDirectSessionControl(database.db),
    feed: createEventFeed({ db: database.db, bus, log }),
    metrics: createMetricsRegistry(),
  })
  app.listen({ port: 0, hostname: '127.0.0.1', idleTimeout: 0 })
  console.log(`port=${app.server?.port}`)
}

/** `--relay`: the floor: each Redis announcement is encoded once as SSE frames and written to every client of its session. */
async function relay(): Promise<void> {
  const redis = await connectRedis(process.env.BENCH_LIVE_REDIS_URL as string, silentLogger())
  const prefix = process.env.BENCH_LIVE_PREFIX as string
  const subscriber = redis.duplicate()
  await subscriber.connect()
  const clients = new Map<number, Set<ReadableStreamDefaultController<Uint8Array>>>()
  const encoder = new TextEncoder()
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    idleTimeout: 0,
    async fetch(request) {
      const id = Number(new URL(request.url).pathname.split('/')[2])
      let set = clients.get(id)
      if (!set) {
        set = new Set()
        clients.set(id, set)
        const own = set
        await subscriber.subscribe(`${prefix}ev:${id}`, (message) => {
          const events = JSON.parse(message) as SessionEvent[]
          let frames = ''
          for (const e of events) frames += `id: ${e.id}\ndata: ${JSON.stringify(e)}\n\n`
          const bytes = encoder.encode(frames)
          for (const c of own) c.enqueue(bytes)
        })
      }
      const own = set
      let mine: ReadableStreamDefaultController<Uint8Array> | null = null
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          mine = c
          own.add(c)
          c.enqueue(encoder.encode(': open\n\n'))
        },
        cancel() {
          if (mine) own.delete(mine)
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
  console.log(`port=${server.port}`)
}

if (import.meta.main) {
  if (process.argv.includes('--serve')) await serve()
  else if (process.argv.includes('--relay')) await relay()
}

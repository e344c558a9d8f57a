/**
 * `bun run bench --only=pages`: page and API throughput of a `SAGE_ROLE=web` process on the
 * bench's PostgreSQL and Redis, beside a bare Elysia hello in the same run. A logged-in user
 * with a completed seven-task session (its agents' decisions, a member's decision, findings and
 * a verdict) and a few dozen more sessions in the team, beside 6,000 sessions (42,000 tasks) of three
 * other teams of another user, so a page that does not narrow to its teams early shows; closed-loop clients (50 in flight, each
 * starting its next request as its last one ends) against GET /sessions/:id, GET
 * /api/sessions/:id, /dashboard and /sessions. Per target: requests/s, p50/p99 and the web
 * process's CPU time per request (its /proc CPU over the run / requests). Beside them, the SQL
 * statements each request runs, counted in this process through the same app (app.handle, the
 * login kept in PostgreSQL: its session lookup counts).
 */
import type { Subprocess } from 'bun'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../src/db/index.ts'
import { seedCompletedSession } from '../test/document/completed-session.ts'
import { REPO_ROOT, serviceEnv, startServiceProcess } from '../test/support/service-process.ts'
import { benchApp } from './bench-app.ts'
import { type BenchResult, type BenchSizes, cpuMs, quantile } from './stats.ts'

export interface PagesBenchEnv {
  database: DatabaseHandle
  databaseUrl: string
  redisUrl: string
  prefix: string
}

const IN_FLIGHT = 50
const BENCH = `pages and API, logged in, ${IN_FLIGHT} in flight, 6,000 other teams' sessions in the database`

/** What the bench reads: a path and how to tell its answer is the right one. */
interface Target {
  label: string
  path: string
  check: (body: string) => boolean
}

/** Seeds a user (signed up over HTTP at `base`), their team, a completed session and 40 more; returns the cookie and the session id. */
async function seed(db: DatabaseHandle['db'], signup: (body: string) => Promise<Response>): Promise<{ cookie: string; sessionId: number; userId: number }> {
  const name = `pages${Date.now().toString(36)}`
  const res = await signup(JSON.stringify({ username: name, email: `${name}@example.test`, password: 'correct horse battery' }))
  if (res.status !== 201) throw new Error(`bench pages: signup failed: ${res.status} ${await res.text()}`)
  const cookie = /sage_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? ''
  const userId = ((await res.json()) as { user: { id: number } }).user.id
  const team = await db.insertInto('teams').values({ name: `Pages bench ${name}`, owner_id: userId }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('team_memberships').values({ team_id: team.id, user_id: userId, role: 'owner' }).execute()
  const sessionId = await seedCompletedSession(db, {
    teamId: team.id,
    userId,
    featureName: 'Password reset by email with an audit trail',
    description: 'Users who forgot their password get a one-time link by email; support sees who reset what.',
    memberDecision: { text: 'Links expire after 30 minutes', category: 'security', confidence: 'high' },
  })
  await db
    .insertInto('consistency_findings')
    .values([
      { session_id: sessionId, rule: 'api-without-tests', severity: 'warning', roles: JSON.stringify(['api_designer', 'test_engineer']), message: 'POST /reset has no test case.' },
      { session_id: sessionId, rule: 'table-without-api', severity: 'error', roles: JSON.stringify(['database_architect']), message: 'reset_audit is never read.' },
    ])
    .execute()
  await sql`update execution_sessions set consistency_score = 0.8 where id = ${sessionId}`.execute(db)
  const firstTask = await db.selectFrom('agent_tasks').select('id').where('session_id', '=', sessionId).orderBy('id').executeTakeFirstOrThrow()
  await db
    .insertInto('task_reviews')
    .values({ task_id: firstTask.id, attempt: 1, reviewer_id: userId, reviewer: name, verdict: 'approve', comment: 'Looks right.' })
    .execute()
  await sql`
    insert into execution_sessions (team_id, user_id, feature_name, plan, status, started_at, ended_at, duration_seconds)
    select ${team.id}::bigint, ${userId}::bigint, 'Feature ' || g, 'dag', 'completed', now() - make_interval(secs => 100 - g), now(), 60
    from generate_series(1, 40) as g`.execute(db)
  await seedOtherTeams(db, name)
  return { cookie, sessionId, userId }
}

/** Other teams' history in the same database (a shared deployment): the user's pages must not pay for it. */
const OTHER_SESSIONS = 6000

async function seedOtherTeams(db: DatabaseHandle['db'], name: string): Promise<void> {
  // Owned by another user: none of it is in the bench user's teams.
  const owner = await db
    .insertInto('users')
    .values({ username: `${name}-neighbour`, email: `${name}-neighbour@example.test`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const ownerId = owner.id
  const others = await sql<{ id: number }>`
    insert into teams (name, owner_id) select 'Other team ' || g, ${ownerId}::bigint from generate_series(1, 3) as g returning id`.execute(db)
  const teamIds = others.rows.map((r) => Number(r.id))
  await sql`
    insert into execution_sessions (team_id, user_id, feature_name, plan, status, started_at, ended_at, duration_seconds)
    select (${teamIds}::bigint[])[g % 3 + 1], ${ownerId}::bigint, 'Other feature ' || g, 'dag', 'completed', now() - make_interval(secs => g), now(), 60
    from generate_series(1, ${OTHER_SESSIONS}) as g`.execute(db)
  await sql`
    insert into agent_tasks (session_id, agent_role, input_data, output_data, status, started_at, completed_at, duration_seconds, input_tokens, output_tokens, cost_usd)
    select s.id, r.role, '{}'::jsonb, jsonb_build_object('confidence', 0.8), 'completed', s.started_at, s.ended_at, 8, 1200, 600, 0.01
    from execution_sessions s
    cross join unnest(array['software_architect','backend_developer','database_administrator','frontend_developer','ui_ux_designer','security_specialist','it_administrator']) as r(role)
    where s.team_id = any(${teamIds}::bigint[])`.execute(db)
  await sql`analyze execution_sessions`.execute(db)
  await sql`analyze agent_tasks`.execute(db)
}

function targets(sessionId: number): Target[] {
  return [
    { label: 'GET /sessions/:id (HTML)', path: `/sessions/${sessionId}`, check: (b) => b.includes('Password reset by email') && b.includes('</html>') },
    { label: 'GET /api/sessions/:id', path: `/api/sessions/${sessionId}`, check: (b) => b.startsWith('{"session":') },
    { label: 'GET /dashboard (HTML)', path: '/dashboard', check: (b) => b.includes('</html>') },
    { label: 'GET /sessions (HTML)', path: '/sessions', check: (b) => b.includes('session-link') },
  ]
}

/** `IN_FLIGHT` closed-loop clients against `url` for `seconds`; latencies (ms) and the requests/s. */
async function load(url: string, cookie: string, seconds: number, check: (body: string) => boolean): Promise<{ ms: number[]; rps: number; requests: number }> {
  const ms: number[] = []
  const end = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < end) {
        const s = performance.now()
        const res = await fetch(url, { headers: { cookie } })
        const body = await res.text()
        if (res.status !== 200 || !check(body)) throw new Error(`bench pages: ${url}: ${res.status} ${body.slice(0, 200)}`)
        ms.push(performance.now() - s)
      }
    }),
  )
  return { ms, rps: ms.length / ((performance.now() - t0) / 1000), requests: ms.length }
}

/** A bare Elysia app answering `hello` on a port of its own, in a process of its own. */
async function startHello(): Promise<{ child: Subprocess; port: number }> {
  const script = `import { Elysia } from 'elysia'; const app = new Elysia().get('/', () => 'hello').listen(0); console.log(JSON.stringify({ port: app.server.port }))`
  const child = Bun.spawn(['bun', '-e', script], { cwd: REPO_ROOT, env: serviceEnv({}), stdout: 'pipe', stderr: 'inherit' })
  const reader = child.stdout.getReader()
  let text = ''
  while (!text.includes('\n')) {
    const { value, done } = await reader.read()
    if (done) throw new Error('bench pages: the hello server did not start')
    text += new TextDecoder().decode(value)
  }
  return { child, port: (JSON.parse(text.split('\n')[0] as string) as { port: number }).port }
}

/** Statements each target runs per request, counted through an in-process app on the same database. */
async function countStatements(database: DatabaseHandle, list: (sessionId: number) => Target[]): Promise<Map<string, number>> {
  let statements = 0
  const db = database.db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements++
      return args.result
    },
  })
  const { app, close } = benchApp(db, 'bench-pages')
  try {
    const { cookie, sessionId } = await seed(database.db, (body) =>
      app.handle(new Request('http://localhost/api/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body })),
    )
    const out = new Map<string, number>()
    for (const t of list(sessionId)) {
      await app.handle(new Request(`http://localhost${t.path}`, { headers: { cookie } }))
      statements = 0
      const res = await app.handle(new Request(`http://localhost${t.path}`, { headers: { cookie } }))
      const body = await res.text()
      if (res.status !== 200 || !t.check(body)) throw new Error(`bench pages: ${t.path}: ${res.status}`)
      out.set(t.label, statements)
    }
    return out
  } finally {
    await close()
  }
}

/** The pages figures: per target requests/s, p50/p99, web CPU per request and statements per request; the hello floor. */
export async function benchPages(env: PagesBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const seconds = Number(process.env.BENCH_PAGES_SECONDS ?? (sizes.smoke ? 3 : 10))
  const results: BenchResult[] = []
  const add = (metric: string, value: number, unit: string): void => {
    results.push({ benchmark: BENCH, metric, subject: 'sage', value, unit })
  }
  const counts = await countStatements(env.database, targets)
  const web = await startServiceProcess(
    { SAGE_ROLE: 'web', DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: `${env.prefix}pages:`, NODE_ID: 'bench-pages-web' },
    { stderr: 'inherit', timeoutMs: 60_000 },
  )
  const hello = await startHello()
  try {
    const base = `http://127.0.0.1:${web.port}`
    const { cookie, sessionId } = await seed(env.database.db, (body) =>
      fetch(`${base}/api/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body }),
    )
    await load(`http://127.0.0.1:${hello.port}/`, '', Math.min(seconds, 2), (b) => b === 'hello') // warm-up
    const floor = await load(`http://127.0.0.1:${hello.port}/`, '', seconds, (b) => b === 'hello')
    add('floor: bare Elysia hello, requests/s', floor.rps, 'req/s')
    for (const t of targets(sessionId)) {
      await load(base + t.path, cookie, Math.min(seconds, 2), t.check) // warm-up
      const before = await cpuMs({ pids: [web.child.pid] })
      const run = await load(base + t.path, cookie, seconds, t.check)
      const cpu = (await cpuMs({ pids: [web.child.pid] })) - before
      add(`${t.label} requests/s`, run.rps, 'req/s')
      add(`${t.label} p50`, quantile(run.ms, 0.5), 'ms')
      add(`${t.label} p99`, quantile(run.ms, 0.99), 'ms')
      add(`${t.label} web CPU per request`, cpu / run.requests, 'ms')
      add(`${t.label} SQL statements per request (login in PostgreSQL)`, counts.get(t.label) ?? Number.NaN, 'statements')
    }
    return results
  } finally {
    web.child.kill('SIGTERM')
    hello.child.kill('SIGTERM')
    await Promise.all([web.child.exited, hello.child.exited])
  }
}

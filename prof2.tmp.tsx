import pg from 'pg'
import { createAuthBackends } from './src/auth/index.ts'
import { connectDatabase, migrateToLatest } from './src/db/index.ts'
import { createEventFeed, createInProcessEventBus } from './src/events/index.ts'
import { createApp } from './src/http/index.ts'
import { silentLogger } from './src/log/index.ts'
import { createMetricsRegistry } from './src/metrics/index.ts'
import { createDirectSessionControl } from './test/orchestration/direct-session-control.ts'
import { seedCompletedSession } from './test/document/completed-session.ts'
import { parseConfig } from './src/config/index.ts'
const name = 'pages_prof_' + Date.now().toString(36)
const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' }); await admin.connect(); await admin.query(`create database ${name}`)
const database = await connectDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:5432/${name}`, log: silentLogger(), poolSize: 10 })
const db = database.db
const path = process.argv[2] ?? 'page'
try {
  await migrateToLatest(db)
  const parsed = parseConfig({ LOG_LEVEL: 'silent', PORT: '0', NODE_ID: 'p' }); if (!parsed.ok) throw 1
  const config = parsed.config
  const feed = createEventFeed({ db, bus: createInProcessEventBus(), log: silentLogger() })
  const app = createApp({ config, db, redis: null, log: silentLogger(), shutdown: new AbortController().signal, ...createAuthBackends({ db, redis: null, redisPrefix: 'p:', sessionTtlSeconds: 3600 }), sessionControl: createDirectSessionControl(db), feed, metrics: createMetricsRegistry() })
  const res = await app.handle(new Request('http://localhost/api/auth/signup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'profuser', email: 'p@example.test', password: 'correct horse battery' }) }))
  const cookie = /sage_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? ''
  const userId = ((await res.json()) as any).user.id
  const team = await db.insertInto('teams').values({ name: 'T', owner_id: userId }).returning('id').executeTakeFirstOrThrow()
  const sid = await seedCompletedSession(db, { teamId: team.id, userId, featureName: 'Password reset by email with an audit trail', memberDecision: { text: 'x', category: 'security', confidence: 'high' } })
  const url = { page: `/sessions/${sid}`, api: `/api/sessions/${sid}`, dash: '/dashboard', list: '/sessions' }[path]!
  const N = 400
  for (const phase of ['warm', 'measure']) {
    const t0 = performance.now(); const c0 = process.cpuUsage()
    for (let i = 0; i < N; i++) { const r = await app.handle(new Request('http://localhost' + url, { headers: { cookie } })); await r.text() }
    const c1 = process.cpuUsage(c0)
    if (phase === 'measure') console.log(path, ((performance.now() - t0) / N).toFixed(3), 'ms wall', ((c1.user + c1.system) / 1000 / N).toFixed(3), 'ms cpu/request')
  }
  await feed.close()
} finally { await database.close(); await admin.query(`drop database ${name} with (force)`); await admin.end() }

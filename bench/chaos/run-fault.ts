import { sql } from 'kysely'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { allEnded, type CheckResult, checkSessions, type Expected, leftovers } from './checks.ts'
import { type Cluster, startCluster } from './cluster.ts'
import { type ApiUser, createApiUser, createSession, type Follower } from './load.ts'
import { type ChaosRedis, freePort, type PrivatePostgres } from './services.ts'

/** What a fault's steps get. */
export interface FaultContext {
  cluster: Cluster
  redis: ChaosRedis
  pg: PrivatePostgres
  db: DatabaseHandle
  user: ApiUser
  redisPrefix: string
  /** Sessions started so far, with how each should end. */
  expected: Expected[]
  /** Starts plain sessions (expected to complete). */
  startPlain(n: number): Promise<number[]>
  /** Starts one session with this feature name (directives included). */
  start(feature: string, expect: 'completed' | 'failed'): Promise<number>
  /** SSE clients whose streams are checked after the fault. */
  followers: Follower[]
  /** Recovery from `from` (see {@link Fault.inject}), for a fault that does damage more than once. */
  recovery(from: number): Promise<number | null>
  log(line: string): void
}

/** One fault of the suite. */
export interface Fault {
  name: string
  /** Part of `--quick`. */
  quick: boolean
  /** Before the cluster starts (e.g. a stand-in model server); returns the cleanup. */
  prepare?: () => Promise<() => Promise<void>>
  /** The cluster's environment beyond the suite's own (read at every process start). */
  env?: () => Record<string, string>
  /** Starts its sessions (the plain ones and any with directives). */
  load(ctx: FaultContext): Promise<void>
  /**
   * Does the damage once sessions are under way; returns the moment recovery is measured from
   * (every session active then must move again), or the recovery it measured itself (the worst
   * of several), or null when no process or service was lost.
   */
  inject(ctx: FaultContext): Promise<number | null | { recoveryMs: number | null }>
}

/** One line of the table. */
export interface FaultRow extends CheckResult {
  fault: string
  recoveryMs: number | null
  seconds: number
}

export interface SuiteOptions {
  plain: number
  log(line: string): void
}

const BASE_ENV = {
  SAGE_PARTITIONS: '16',
  SAGE_LEASE_MS: '3000',
  SAGE_WORKERS: '1',
  DATABASE_POOL_SIZE: '5',
  SIM_LATENCY_MS: '100-400',
  TASK_TIMEOUT_MS: '8000',
  TASK_RETRY_BASE_MS: '200',
  TASK_MAX_RETRIES: '2',
  SHUTDOWN_TIMEOUT_MS: '5000',
  LOG_LEVEL: 'info',
}

/**
 * Recovery: how long after `from` every session still active then had moved again (its first
 * event after `from`, as PostgreSQL stamped it). Polls until each has one; null past the timeout.
 */
async function measureRecovery(db: DatabaseHandle, ids: number[], from: number, timeoutMs: number): Promise<number | null> {
  const since = new Date(from)
  for (;;) {
    try {
      const { rows } = await sql<{ waiting: string; last: Date | null }>`
        with open as (
          select s.id from execution_sessions s
          where s.id = any(${ids}::bigint[]) and s.created_at < ${since}::timestamptz
            and not exists (select 1 from session_events e where e.session_id = s.id
              and e.type in ('session_completed', 'session_failed', 'session_cancelled') and e.at <= ${since}::timestamptz)
        ), moved as (
          select o.id, (select min(e.at) from session_events e where e.session_id = o.id and e.at > ${since}::timestamptz) as first from open o
        )
        select count(*) filter (where first is null) as waiting, max(first) as last from moved`.execute(db.db)
      const row = rows[0]
      // No session was open at `from`: nothing to recover, nothing measured.
      if (row && Number(row.waiting) === 0) return row.last ? Math.max(0, new Date(row.last).getTime() - from) : null
    } catch {
      // PostgreSQL may still be coming back.
    }
    if (Date.now() - from > timeoutMs) return null
    await Bun.sleep(200)
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if (await check()) return true
    } catch {
      // PostgreSQL may still be coming back.
    }
    if (Date.now() > deadline) return false
    await Bun.sleep(250)
  }
}

/** Runs one fault on a fresh database and Redis prefix with a fresh cluster, then checks PostgreSQL. */
export async function runFault(fault: Fault, index: number, services: { pg: PrivatePostgres; redis: ChaosRedis }, options: SuiteOptions): Promise<FaultRow> {
  const began = Date.now()
  const dbName = `chaos_${index}_${fault.name.replace(/[^a-z0-9]/g, '_')}`
  const url = await services.pg.createDatabase(dbName)
  const db = await connectDatabase({ databaseUrl: url, log: silentLogger(), poolSize: 3 })
  await migrateToLatest(db.db)
  const redisPrefix = `chaos${index}:`
  const env = () => ({ ...BASE_ENV, DATABASE_URL: url, REDIS_URL: services.redis.url, REDIS_PREFIX: redisPrefix, ...fault.env?.() })
  const log = (line: string) => options.log(`  [${fault.name}] ${line}`)
  const cleanup = fault.prepare ? await fault.prepare() : async () => {}
  const cluster = await startCluster(env, freePort()).catch(async (error: unknown) => {
    await cleanup()
    await db.close()
    throw error
  })
  const expected: Expected[] = []
  const followers: Follower[] = []
  try {
    const user = await createApiUser(cluster.url)
    const start = async (feature: string, expect: 'completed' | 'failed'): Promise<number> => {
      const id = await createSession(user, feature)
      expected.push({ id, status: expect })
      return id
    }
    const ctx: FaultContext = {
      cluster,
      redis: services.redis,
      pg: services.pg,
      db,
      user,
      redisPrefix,
      expected,
      followers,
      log,
      start,
      recovery: (from) => measureRecovery(db, expected.map((e) => e.id), from, 120_000),
      startPlain: async (n) => {
        const ids: number[] = []
        for (let i = 0; i < n; i++) ids.push(await start(`Invoice export ${expected.length + 1}`, 'completed'))
        return ids
      },
    }
    await fault.load(ctx)
    // Under way: some agent has started.
    await waitFor('sessions under way', async () => {
      const { rows } = await sql<{ n: string }>`select count(*) as n from session_events where type = 'task_started'`.execute(db.db)
      return Number(rows[0]?.n ?? 0) > 0
    }, 30_000)
    const injected = await fault.inject(ctx)
    const recoveryMs = injected === null ? null : typeof injected === 'number' ? await ctx.recovery(injected) : injected.recoveryMs
    log(`recovery ${recoveryMs === null ? '-' : `${recoveryMs} ms`}; waiting for every session to end`)
    await waitFor('every session ended', () => allEnded(db.db, expected.map((e) => e.id)), 180_000)
    await Promise.race([Promise.all(followers.map((f) => f.done)), Bun.sleep(30_000)])
    for (const f of followers) f.stop()
    // Retry timers of ended sessions fire and go; delivered outbox rows are removed.
    await waitFor('runtime rows drained', async () => {
      const left = await leftovers(db.db)
      return left.jobs + left.outbox + left.timers === 0
    }, 30_000)
    const result = await checkSessions(db.db, expected)
    await checkFollowers(db, followers, result)
    return { fault: fault.name, ...result, recoveryMs, seconds: Math.round((Date.now() - began) / 1000) }
  } finally {
    for (const f of followers) f.stop()
    await cluster.stop()
    await cleanup()
    await db.close()
  }
}

/** Each SSE client saw each of its session's events exactly once, in order, to the end. */
async function checkFollowers(db: DatabaseHandle, followers: Follower[], result: CheckResult): Promise<void> {
  for (const f of followers) {
    const rows = await db.db.selectFrom('session_events').select('seq').where('session_id', '=', f.sessionId).orderBy('seq').execute()
    const want = rows.map((r) => r.seq)
    const got = f.ids.map((id) => Number(id.split(/[^0-9]/).filter(Boolean).at(-1)))
    const dups = got.length - new Set(got).size
    const missing = want.filter((s) => !got.includes(s)).length
    if (dups > 0) {
      result.duplicated += dups
      result.problems.push(`SSE client of session ${f.sessionId}: ${dups} event(s) received twice`)
    }
    if (missing > 0 || !f.ended) {
      result.lost += missing > 0 ? 1 : 0
      result.problems.push(`SSE client of session ${f.sessionId}: ${missing} event(s) never received${f.ended ? '' : ', no end event'} (${f.reconnects} reconnects)`)
      if (!f.ended) result.stuck += 1
    }
  }
}

/**
 * Whole sessions on one actor node (a real `SAGE_ROLE=node` child process, as deployed)
 * with the simulated provider: (a) throughput and latency at SIM_LATENCY_MS=0, (b) the
 * orchestration overhead of the dag at SIM_LATENCY_MS=1000, (c) 500 sessions in flight
 * and the node's peak RSS. The driver plays the web process: it creates sessions through
 * the same domain function and SessionControl the API uses, and watches their events.
 */
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import { createActorClient, createRedisStreamsTransport } from '../src/actors/index.ts'
import type { Database, DatabaseHandle } from '../src/db/index.ts'
import { createRedisEventBus } from '../src/events/index.ts'
import { createLogger } from '../src/log/index.ts'
import { createActorSessionControl, createSession } from '../src/orchestration/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { startServiceProcess } from '../test/support/service-process.ts'
import { type Driver, drive } from './closed-loop.ts'
import { readCommits, readWalBytes, STATS_FLUSH_MS } from './pg-counters.ts'
import { type BenchResult, type BenchSizes, cpuMs, quantile, WHOLE_RUNS } from './stats.ts'

export interface SessionBenchEnv {
  redisUrl: string
  prefix: string
  database: DatabaseHandle
  databaseUrl: string
}

const PARTITIONS = process.env.BENCH_PARTITIONS ?? '64'

/** Peak resident set size of a process (VmHWM), in MB. */
async function peakRssMb(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text()
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
  return kb / 1024
}

type CpuPart = 'node' | 'postgres' | 'redis' | 'driver'

/**
 * CPU used so far (ms) by the node, the PostgreSQL backends serving this benchmark's
 * database (per pid, so other databases' work on the same server is not counted),
 * Redis and this driver.
 */
async function cpuSplit(nodePid: number, db: Kysely<Database>): Promise<{ totals: Record<Exclude<CpuPart, 'postgres'>, number>; backends: Map<number, number> }> {
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db)
  const backends = new Map<number, number>()
  for (const { pid } of rows) backends.set(pid, await cpuMs({ pids: [pid] }))
  return {
    totals: { node: await cpuMs({ pids: [nodePid] }), redis: await cpuMs({ names: ['redis-server'] }), driver: await cpuMs({ pids: [process.pid] }) },
    backends,
  }
}

/** CPU (ms) each part used between two cpuSplit readings. */
function cpuBetween(a: Awaited<ReturnType<typeof cpuSplit>>, b: Awaited<ReturnType<typeof cpuSplit>>): Record<CpuPart, number> {
  let postgres = 0
  for (const [pid, ms] of b.backends) postgres += ms - (a.backends.get(pid) ?? 0)
  return { node: b.totals.node - a.totals.node, postgres, redis: b.totals.redis - a.totals.redis, driver: b.totals.driver - a.totals.driver }
}

interface TableCounters {
  tables: Map<string, { ins: number; upd: number; hot: number; del: number }>
  indexes: Map<string, { scans: number; table: string }>
}

/** Rows inserted, updated (HOT among them) and deleted per table, and scans per index, so far in this database. */
async function tableCounters(db: Kysely<Database>): Promise<TableCounters> {
  const t = await sql<{ name: string; ins: string; upd: string; hot: string; del: string }>`
    select relname as name, n_tup_ins::text as ins, n_tup_upd::text as upd, n_tup_hot_upd::text as hot, n_tup_del::text as del from pg_stat_user_tables`.execute(db)
  const i = await sql<{ name: string; tbl: string; scans: string }>`select indexrelname as name, relname as tbl, idx_scan::text as scans from pg_stat_user_indexes`.execute(db)
  return {
    tables: new Map(t.rows.map((r) => [r.name, { ins: Number(r.ins), upd: Number(r.upd), hot: Number(r.hot), del: Number(r.del) }])),
    indexes: new Map(i.rows.map((r) => [r.name, { scans: Number(r.scans), table: r.tbl }])),
  }
}

/** BENCH_TABLE_STATS=1: prints (stderr) per session the rows each table gained, changed and lost, and the indexes of written tables nobody scanned. */
function printTableCounters(a: TableCounters, b: TableCounters, sessions: number): void {
  const lines: string[] = []
  const per = (n: number): string => (n / sessions).toFixed(2).padStart(7)
  const sum = { ins: 0, upd: 0, del: 0 }
  const written = new Set<string>()
  for (const [name, after] of b.tables) {
    const before = a.tables.get(name) ?? { ins: 0, upd: 0, hot: 0, del: 0 }
    const d = { ins: after.ins - before.ins, upd: after.upd - before.upd, hot: after.hot - before.hot, del: after.del - before.del }
    if (d.ins + d.upd + d.del === 0) continue
    written.add(name)
    sum.ins += d.ins
    sum.upd += d.upd
    sum.del += d.del
    lines.push(`  ${name.padEnd(28)} ins ${per(d.ins)} upd ${per(d.upd)} (hot ${per(d.hot)}) del ${per(d.del)}`)
  }
  lines.push(`  ${'all tables'.padEnd(28)} ins ${per(sum.ins)} upd ${per(sum.upd)}               del ${per(sum.del)}`)
  for (const [name, after] of b.indexes) {
    if (!written.has(after.table)) continue
    const scans = after.scans - (a.indexes.get(name)?.scans ?? 0)
    lines.push(`  index ${name.padEnd(40)} on ${after.table.padEnd(24)} scans per session ${per(scans)}`)
  }
  process.stderr.write(`\nrows per session (all rounds):\n${lines.join('\n')}\n`)
}

/**
 * BENCH_TABLE_STATS=1: the WAL between two positions that touched this database's relations
 * (pg_walinspect; records naming a block of this database: the cluster-wide figure counts
 * every other database's writes too), by relation, with the full-page images among it.
 * Commit records name no block and are left out.
 */
async function walOfThisDatabase(db: Kysely<Database>, from: string, to: string): Promise<{ total: number; fpi: number; byRelation: Array<{ name: string; bytes: number; fpi: number }> }> {
  await sql`create extension if not exists pg_walinspect`.execute(db)
  const { rows } = await sql<{ name: string; bytes: string; fpi: string }>`
    with recs as (
      select r.record_length, r.fpi_length, (regexp_match(r.block_ref, 'rel [0-9]+/([0-9]+)/([0-9]+)'))[1:2] as rel
      from pg_get_wal_records_info(${from}::pg_lsn, least(${to}::pg_lsn, pg_current_wal_flush_lsn())) r
    )
    select coalesce('toast of ' || (select o.relname from pg_class o where o.reltoastrelid = c.oid), c.relname, 'filenode ' || recs.rel[2]) as name, sum(record_length)::text as bytes, sum(fpi_length)::text as fpi
    from recs left join pg_class c on c.relfilenode = recs.rel[2]::oid
    where recs.rel[1]::oid = (select oid from pg_database where datname = current_database())
    group by 1 order by sum(record_length) desc`.execute(db)
  const byRelation = rows.map((r) => ({ name: r.name, bytes: Number(r.bytes), fpi: Number(r.fpi) }))
  return { total: byRelation.reduce((a, r) => a + r.bytes, 0), fpi: byRelation.reduce((a, r) => a + r.fpi, 0), byRelation }
}

async function currentLsn(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db)
  return rows[0]?.lsn ?? ''
}

/** Starts a node process; resolves once it has joined and owns its partitions. */
async function startNode(env: SessionBenchEnv, prefix: string, latency: string): Promise<{ pid: number; stop(): Promise<void> }> {
  // BENCH_NODE_FLAGS: extra bun flags for the node (for example `--cpu-prof --cpu-prof-dir=/tmp/prof`).
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
  const { child } = await startServiceProcess(
    {
      SAGE_ROLE: 'node',
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: prefix,
      SAGE_PARTITIONS: PARTITIONS,
      SIM_LATENCY_MS: latency,
      NODE_ID: `bench-node-${latency}`,
      // BENCH_NODE_ENV="DATABASE_POOL_SIZE=20 SAGE_WORKERS=3": settings for the node under test.
      ...Object.fromEntries((process.env.BENCH_NODE_ENV ?? '').split(' ').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    },
    { flags, stderr: 'inherit' },
  )
  return {
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM')
      await child.exited
    },
  }
}

interface SessionDriver extends Driver {
  close(): Promise<void>
}

/** `label` goes into each session's feature name, so a phase can find its own sessions. */
export async function startDriver(env: SessionBenchEnv, prefix: string, db: Kysely<Database>, label: string): Promise<SessionDriver> {
  const log = createLogger('warn')
  const redis = await connectRedis(env.redisUrl, log)
  const transport = createRedisStreamsTransport({ redis, prefix, consumer: `bench-web-${process.pid}`, log })
  const client = createActorClient({ db, transport, partitions: Number(PARTITIONS), clientId: `bench-web-${process.pid}`, log })
  const bus = await createRedisEventBus(redis, prefix, log)
  const control = createActorSessionControl({ db, client, bus })
  const user = await db
    .insertInto('users')
    .values({ username: `bench-${prefix.length}-${Date.now()}`, email: `bench-${Date.now()}@example.com`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: 'bench', owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  return {
    async run(i) {
      const started = performance.now()
      const ended = Promise.withResolvers<void>()
      let sessionId = 0
      const pending: Array<() => void> = []
      // Subscribe before the session can end; the id is known only after creation, so filter by it.
      const session = await createSession(db, control, user.id, {
        team_id: team.id,
        feature_name: `Bench ${label} ${i}: invoice export`,
        description: 'Finance users export filtered invoices as CSV files.',
      })
      sessionId = session.id
      const unsubscribe = await bus.subscribe(sessionId, (event) => {
        if (event.type === 'session_completed' || event.type === 'session_failed' || event.type === 'session_cancelled') ended.resolve()
      })
      // The end may have been announced before the subscription: check the row once, then poll slowly.
      const check = async (): Promise<void> => {
        const row = await db.selectFrom('execution_sessions').select('status').where('id', '=', sessionId).executeTakeFirst()
        if (row && row.status !== 'active') ended.resolve()
      }
      await check()
      const poll = setInterval(() => void check(), 1000)
      await ended.promise
      clearInterval(poll)
      await unsubscribe()
      for (const p of pending) p()
      return performance.now() - started
    },
    async close() {
      await client.close()
      await transport.stop()
      await bus.close()
      await closeRedis(redis)
    },
  }
}

/** Options of the session figures. */
export interface SessionBenchOptions {
  /**
   * Runs after each round of (a), once its figures are read, while the node waits idle: the
   * peers' rounds go here, so every system meets the same drift of the machine's speed.
   */
  afterRound?: (round: number) => Promise<void>
}

/** The three session figures of issue 5. */
export async function benchSessions(env: SessionBenchEnv, sizes: BenchSizes, options: SessionBenchOptions = {}): Promise<BenchResult[]> {
  const results: BenchResult[] = []
  const sage = (benchmark: string, metric: string, value: number, unit: string): void => {
    results.push({ benchmark, metric, subject: 'sage', value, unit })
  }
  // BENCH_SESSION_PHASES=a,c: run some of the three (for iterating on one figure).
  const phases = process.env.BENCH_SESSION_PHASES?.split(',') ?? ['a', 'b', 'c']
  const counts = sizes.smoke ? { slow: 50, burst: 100 } : { slow: 200, burst: 500 }

  // (a) SIM_LATENCY_MS=0: the cost of the machinery itself.
  if (phases.includes('a')) {
    const prefix = `${env.prefix}sess-a:`
    const node = await startNode(env, prefix, '0')
    const driver = await startDriver(env, prefix, env.database.db, 'a')
    let slotHolder: pg.Client | null = null
    try {
      await drive(driver, 10, 10) // warm-up
      // Rounds back to back on the same node; the median round is reported (this machine's speed
      // drifts by ±15% from minute to minute), with the slowest and fastest beside it. WAL is
      // read as a round ends; commits once the backends have reported them (STATS_FLUSH_MS).
      const db = env.database.db
      const dbName = new URL(env.databaseUrl).pathname.slice(1)
      const rounds: Array<{ rate: number; cpu: Record<CpuPart, number>; times: number[]; walBytes: number; commits: number; idleWal: number }> = []
      let idle0 = await readWalBytes(db)
      let idleT0 = performance.now()
      await Bun.sleep(STATS_FLUSH_MS)
      let commits0 = await readCommits(db, dbName)
      const counters0 = process.env.BENCH_TABLE_STATS ? await tableCounters(db) : null
      // The server recycles WAL segments as other databases write: a temporary slot (dropped
      // with its connection) keeps the rounds' WAL readable until it is counted.
      slotHolder = counters0 ? new pg.Client({ connectionString: env.databaseUrl }) : null
      if (slotHolder) {
        await slotHolder.connect()
        await slotHolder.query(`select pg_create_physical_replication_slot('sage_bench_' || pg_backend_pid(), true, true)`)
      }
      for (let r = 0; r < sizes.sessionRounds; r++) {
        const cpu0 = await cpuSplit(node.pid, db)
        const wal0 = await readWalBytes(db)
        const lsn0 = counters0 ? await currentLsn(db) : ''
        const idleWal = Number(wal0 - idle0) / ((performance.now() - idleT0) / 1000)
        const { times, seconds } = await drive(driver, sizes.sessions, 50)
        const cpu = cpuBetween(cpu0, await cpuSplit(node.pid, db))
        const walBytes = Number((await readWalBytes(db)) - wal0)
        if (counters0) {
          const own = await walOfThisDatabase(db, lsn0, await currentLsn(db))
          const kib = (n: number): string => (n / 1024 / sizes.sessions).toFixed(2)
          const top = own.byRelation.slice(0, 14).map((r) => `    ${r.name.padEnd(40)} ${kib(r.bytes).padStart(7)} KiB (full-page images ${kib(r.fpi)})`)
          process.stderr.write(`\nround ${r + 1}: WAL per session on this database's relations ${kib(own.total)} KiB (full-page images ${kib(own.fpi)}), cluster-wide ${kib(walBytes)} KiB\n${top.join('\n')}\n`)
        }
        idle0 = await readWalBytes(db)
        idleT0 = performance.now()
        await Bun.sleep(STATS_FLUSH_MS)
        const commits1 = await readCommits(db, dbName)
        rounds.push({ rate: sizes.sessions / seconds, cpu, times, walBytes, commits: commits1 - commits0, idleWal })
        commits0 = commits1
        if (options.afterRound) {
          await options.afterRound(r)
          idle0 = await readWalBytes(db)
          idleT0 = performance.now()
          await Bun.sleep(STATS_FLUSH_MS)
          commits0 = await readCommits(db, dbName)
        }
      }
      if (counters0) printTableCounters(counters0, await tableCounters(db), sizes.sessions * sizes.sessionRounds)
      const byRate = [...rounds].sort((x, y) => x.rate - y.rate)
      const median = byRate[Math.floor(byRate.length / 2)] as (typeof rounds)[number]
      let total = 0
      for (const part of ['node', 'postgres', 'redis', 'driver'] as const) {
        sage(WHOLE_RUNS, `CPU per session: ${part}`, median.cpu[part] / sizes.sessions, 'ms')
        total += median.cpu[part] / sizes.sessions
      }
      sage(WHOLE_RUNS, 'CPU per session: all processes and PostgreSQL', total, 'ms')
      sage(WHOLE_RUNS, 'WAL per session', median.walBytes / 1024 / sizes.sessions, 'KiB')
      sage(WHOLE_RUNS, 'transactions committed per session', median.commits / sizes.sessions, 'xacts')
      sage(WHOLE_RUNS, 'WAL per second just before the round, idle (background, cluster-wide)', median.idleWal / 1024, 'KiB/s')
      sage(WHOLE_RUNS, 'sessions per second', median.rate, 'sessions/s')
      if (rounds.length > 1) {
        sage(WHOLE_RUNS, `sessions per second, slowest of ${rounds.length} rounds`, byRate[0]?.rate ?? 0, 'sessions/s')
        sage(WHOLE_RUNS, `sessions per second, fastest of ${rounds.length} rounds`, byRate.at(-1)?.rate ?? 0, 'sessions/s')
      }
      sage(WHOLE_RUNS, 'session latency p50', quantile(median.times, 0.5), 'ms')
      sage(WHOLE_RUNS, 'session latency p99', quantile(median.times, 0.99), 'ms')
    } finally {
      await slotHolder?.end()
      await driver.close()
      await node.stop()
    }
  }

  // (b) SIM_LATENCY_MS=1000, dag: wall time minus the four model stages.
  if (phases.includes('b')) {
    const prefix = `${env.prefix}sess-b:`
    const node = await startNode(env, prefix, '1000')
    const driver = await startDriver(env, prefix, env.database.db, 'b')
    try {
      await drive(driver, 10, 10) // warm-up, as in (a)
      // 50 started in the same instant: every stage of every session then ends in the same
      // few milliseconds (the simulated model takes exactly 1 s), a burst the node absorbs.
      const burst = await drive(driver, 50, 50)
      const burstOverhead = burst.times.map((t) => t - 4 * 1000)
      sage('dag at latency 1000 ms, 50 started at once', 'orchestration overhead p50', quantile(burstOverhead, 0.5), 'ms')
      sage('dag at latency 1000 ms, 50 started at once', 'orchestration overhead p99', quantile(burstOverhead, 0.99), 'ms')
      // 50 in flight: the first 50 start over one model stage (as arrivals spread in practice) and
      // are not counted (fewer than 50 run beside them); each later one starts as one ends.
      const { times: all, seconds } = await drive(driver, counts.slow + 50, 50, 1000)
      const times = all.slice(50)
      const overhead = times.map((t) => t - 4 * 1000)
      sage('dag at latency 1000 ms, 50 in flight', 'orchestration overhead p50', quantile(overhead, 0.5), 'ms')
      sage('dag at latency 1000 ms, 50 in flight', 'orchestration overhead p99', quantile(overhead, 0.99), 'ms')
      // Where the overhead sits: the agent job's own time beyond the model's latency (Worker), and
      // each task's wall time beyond its job (dispatch, recording, the supervisor's step).
      const { rows } = await sql<{ job: number; wall: number }>`
        select (s.execution_metadata->>'duration_ms')::float as job, extract(epoch from (t.completed_at - t.started_at)) * 1000 as wall
        from agent_tasks t join agent_snapshots s on s.agent_task_id = t.id
        join execution_sessions e on e.id = t.session_id where e.feature_name like 'Bench b %' and t.status = 'completed' and t.completed_at > now() - make_interval(secs => ${seconds})`.execute(env.database.db)
      const beyondModel = rows.map((r) => r.job - 1000)
      const beyondJob = rows.map((r) => r.wall - r.job)
      sage('dag at latency 1000 ms, 50 in flight', 'agent job beyond the model p50', quantile(beyondModel, 0.5), 'ms')
      sage('dag at latency 1000 ms, 50 in flight', 'agent job beyond the model p99', quantile(beyondModel, 0.99), 'ms')
      sage('dag at latency 1000 ms, 50 in flight', 'task wall beyond its job p50', quantile(beyondJob, 0.5), 'ms')
      sage('dag at latency 1000 ms, 50 in flight', 'task wall beyond its job p99', quantile(beyondJob, 0.99), 'ms')
    } finally {
      await driver.close()
      await node.stop()
    }
  }

  // (c) many sessions in flight on one node: all complete, and the node's peak memory.
  if (phases.includes('c')) {
    const prefix = `${env.prefix}sess-c:`
    const node = await startNode(env, prefix, '1000')
    const driver = await startDriver(env, prefix, env.database.db, 'c')
    try {
      const { times } = await drive(driver, counts.burst, counts.burst)
      sage(`${counts.burst} sessions in flight at latency 1000 ms`, 'sessions completed', times.length, 'sessions')
      sage(`${counts.burst} sessions in flight at latency 1000 ms`, 'node peak RSS', await peakRssMb(node.pid), 'MB')
    } finally {
      await driver.close()
      await node.stop()
    }
  }
  return results
}

/**
 * `bun run bench [--smoke]`: the actor runtime against its peers on this machine's
 * Redis and PostgreSQL, side by side in one run: raw Redis Streams (the floor: one
 * hop, no commit) and BullMQ (the job queue users would otherwise pick); whole sessions
 * against durable-workflow engines running the same dag (DBOS Transact, LangGraph JS). Prints one
 * table and writes bench/results.json (`--smoke`: short sizes, bench/results.smoke.json).
 * Environment: REDIS_URL (default redis://127.0.0.1:6379), BENCH_PG_ADMIN_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped).
 */
import { existsSync } from 'node:fs'
import pg from 'pg'
import { createClient } from 'redis'
import { connectDatabase, migrateToLatest } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'
import { createBenchTables } from './bench-behaviours.ts'
import { benchBullmq } from './bullmq.bench.ts'
import { benchConsistency } from './consistency.bench.ts'
import { preparePeers } from './peers.bench.ts'
import { benchDocument } from './document.bench.tsx'
import { benchModels } from './models.bench.ts'
import { benchPages } from './pages.bench.ts'
import { benchFork } from './fork.bench.ts'
import { benchEmbedded } from './embedded.bench.ts'
import { benchRedisStreams } from './redis-streams.bench.ts'
import { benchReview } from './review.bench.ts'
import { benchSageNode, benchSageProcesses } from './sage.bench.ts'
import { benchSessionList } from './session-list.bench.ts'
import { benchBudget } from './budget.bench.ts'
import { benchSessions } from './sessions.bench.ts'
import { type BenchResult, benchSizes, round } from './stats.ts'

const smoke = process.argv.includes('--smoke')
/** `--only=sage,bullmq`: run some phases (for iterating on one subject). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? null
const wanted = (name: string): boolean => only === null || only.includes(name)
const sizes = benchSizes(smoke)
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const adminUrl = process.env.BENCH_PG_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
const resultsFile = new URL(smoke ? './results.smoke.json' : './results.json', import.meta.url).pathname
const stamp = Date.now().toString(36)
const prefix = `sage-bench:${stamp}:`
const dbName = `sage_bench_${stamp}`

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl })
  await c.connect()
  try {
    await c.query(query)
  } finally {
    await c.end()
  }
}

/** CPU, cores, memory and the versions that matter, for the table's heading. */
async function machine(): Promise<string> {
  const os = await import('node:os')
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const c = new pg.Client({ connectionString: adminUrl })
  await c.connect()
  const pgVersion = (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?'
  await c.end()
  const r = createClient({ url: redisUrl })
  r.on('error', () => {})
  await r.connect()
  const redisVersion = /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? '?'
  r.destroy()
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; Linux ${os.release()}; bun ${Bun.version}; PostgreSQL ${pgVersion}; Redis ${redisVersion}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`
}

async function cleanRedis(): Promise<void> {
  const c = createClient({ url: redisUrl })
  c.on('error', () => {})
  await c.connect()
  try {
    for await (const keys of c.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await c.unlink(keys)
  } finally {
    c.destroy()
  }
}

const previous: BenchResult[] = existsSync(resultsFile) ? JSON.parse(await Bun.file(resultsFile).text()).results ?? [] : []
const log = createLogger('warn')
const dbUrl = new URL(adminUrl)
dbUrl.pathname = `/${dbName}`
// The durable-workflow engines get a database of their own on the same server, so its commit count is theirs.
const peersDbUrl = new URL(adminUrl)
peersDbUrl.pathname = `/${dbName}_peers`
await admin(`create database "${dbName}"`)
if (wanted('peers')) await admin(`create database "${dbName}_peers"`)
const database = await connectDatabase({ databaseUrl: dbUrl.toString(), log, poolSize: 10 })
const results: BenchResult[] = []
try {
  await migrateToLatest(database.db)
  await createBenchTables(database.db)
  const phase = async (name: string, run: () => Promise<BenchResult[]>): Promise<void> => {
    const t0 = performance.now()
    process.stderr.write(`bench: ${name}…`)
    results.push(...(await run()))
    process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
  }
  if (wanted('redis-streams')) await phase('raw Redis Streams', () => benchRedisStreams(redisUrl, prefix, sizes))
  if (wanted('bullmq')) await phase('BullMQ', () => benchBullmq(redisUrl, prefix, sizes))
  if (wanted('sage')) await phase('sage (one node)', () => benchSageNode({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes))
  // With both, each round of Sage's sessions is followed by one round of each peer engine (the
  // machine's speed drifts from minute to minute); cycles the sessions phase did not run follow it.
  const peers = wanted('peers') ? await preparePeers({ database, databaseUrl: peersDbUrl.toString() }, sizes) : null
  if (wanted('sessions')) {
    const label = peers ? 'sessions (one node process, simulated provider), each round followed by the peers\'' : 'sessions (one node process, simulated provider)'
    await phase(label, () =>
      benchSessions({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes, peers ? { afterRound: () => peers.cycle() } : {}),
    )
  }
  if (peers) {
    await phase('peers (DBOS Transact, LangGraph JS: the same seven-role dag)', async () => {
      while (peers.cycles() < sizes.sessionRounds) await peers.cycle()
      return peers.results()
    })
  }
  if (wanted('models')) await phase('models (stand-in OpenAI server at 1 s, streamed, beside the simulated provider)', () => benchModels({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes))
  if (wanted('budget')) await phase('budgets on vs off (sessions, one node process)', () => benchBudget({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes))
  if (wanted('document')) await phase('document (session page, design document, Markdown export)', () => benchDocument({ database }, sizes))
  if (wanted('consistency')) await phase('consistency rules (per session, simulated outputs)', () => benchConsistency(sizes))
  if (wanted('pages')) await phase('pages and API (a web process, 50 in flight, beside a bare Elysia hello)', () => benchPages({ database, databaseUrl: dbUrl.toString(), redisUrl, prefix }, sizes))
  if (wanted('session-list')) await phase('/sessions page (10,000 sessions)', () => benchSessionList(database, sizes))
  if (wanted('review')) await phase('review (verdict → dependants started, one node)', () => benchReview({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes))
  if (wanted('fork')) await phase('fork (7 roles, from the last stage)', () => benchFork({ redisUrl, prefix, database }, sizes))
  if (wanted('live')) await phase('live streams (1,000 SSE clients on 10 sessions: HTML, JSON, bare relay)', async () => (await import('./live-stream.bench.ts')).benchLiveStream({ database, databaseUrl: dbUrl.toString(), redisUrl, prefix }, sizes))
  if (wanted('embedded')) await phase('embedded default beside PostgreSQL + Redis (child processes over HTTP)', () => benchEmbedded({ databaseUrl: dbUrl.toString(), redisUrl, prefix }, sizes))
  if (wanted('failover')) {
    await phase('sage (failover, idle memory)', () => benchSageProcesses({ redisUrl, prefix, database, databaseUrl: dbUrl.toString() }, sizes))
  }
} finally {
  await database.close()
  if (!process.env.BENCH_KEEP_DB) {
    await admin(`drop database if exists "${dbName}" with (force)`).catch(() => undefined)
    await admin(`drop database if exists "${dbName}_peers" with (force)`).catch(() => undefined)
  }
  await cleanRedis().catch(() => undefined)
}

// One table: one row per figure, one column per subject, and the last run's sage figure.
// Rows of one benchmark stay together, in the order the benchmarks first appear (the peers add rows to the sessions figure's).
const benchmarks = [...new Set(results.map((r) => r.benchmark))]
const rows = new Map<string, { unit: string; values: Partial<Record<BenchResult['subject'], number>> }>()
for (const r of [...results].sort((a, b) => benchmarks.indexOf(a.benchmark) - benchmarks.indexOf(b.benchmark))) {
  const key = `${r.benchmark} · ${r.metric}`
  const row = rows.get(key) ?? { unit: r.unit, values: {} }
  row.values[r.subject] = round(r.value)
  rows.set(key, row)
}
const last = (key: string): string => {
  const p = previous.find((r) => `${r.benchmark} · ${r.metric}` === key && r.subject === 'sage')
  return p ? String(round(p.value)) : '–'
}
// The durable-workflow engines get a column only when their phase ran.
const peers = (['dbos', 'langgraph-sync', 'langgraph-async'] as const).filter((p) => results.some((r) => r.subject === p))
const header = ['figure', 'unit', 'redis-streams', 'bullmq', 'sage', ...peers, 'sage (last run)']
const table = [...rows].map(([key, row]) => [
  key,
  row.unit,
  String(row.values['redis-streams'] ?? '–'),
  String(row.values.bullmq ?? '–'),
  String(row.values.sage ?? '–'),
  ...peers.map((p) => String(row.values[p] ?? '–')),
  last(key),
])
console.log(`command: bun run bench${process.argv.slice(2).length > 0 ? ` ${process.argv.slice(2).join(' ')}` : ''}`)
console.log(`machine: ${await machine()}\n`)
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] as string).length)))
const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`
console.log(line(header))
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
for (const r of table) console.log(line(r))
console.log(`\n${smoke ? 'smoke mode (short runs; figures are indicative only)' : 'full run'}; ${new Date().toISOString()}`)

if (only !== null) process.exit(0)
await Bun.write(
  resultsFile,
  `${JSON.stringify({ at: new Date().toISOString(), smoke, sizes, results: results.map((r) => ({ ...r, value: round(r.value) })) }, null, 2)}\n`,
)
process.exit(0)

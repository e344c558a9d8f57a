/**
 * Sage's peers among durable-workflow engines, on the seven-role dag of a session: DBOS
 * Transact and LangGraph JS (PostgresSaver, `sync` and `async` durability) in this process,
 * on a database of their own on the benchmark's server, in the closed loop of the sessions figure (latency 0, 50 in
 * flight, the same runs per round and rounds), each step returning the output the simulated
 * model gives that role. Reports, per engine, what Sage's sessions figure reports, in its rows.
 */
import type { DatabaseHandle } from '../src/db/index.ts'
import { drive } from './closed-loop.ts'
import { startDbosPeer } from './dbos.peer.ts'
import { startLangGraphPeer } from './langgraph.peer.ts'
import type { PeerRunner } from './peer-runner.ts'
import { backendPids, readCommits, readWalBytes, STATS_FLUSH_MS } from './pg-counters.ts'
import { simulatedRoleOutputs } from './role-outputs.ts'
import { type BenchResult, type BenchSizes, type BenchSubject, cpuMs, quantile, until, WHOLE_RUNS } from './stats.ts'

/** Where the peers run. */
export interface PeerBenchEnv {
  /** A connection to the server, for its statistics. */
  database: DatabaseHandle
  /** The engines' own database on the benchmark's server, so its commit count is theirs alone. */
  databaseUrl: string
}

/** One measured round of one engine. */
interface PeerRound {
  rate: number
  times: number[]
  processMs: number
  postgresMs: number
  walBytes: number
  commits: number
  /** WAL written per second while the engine sat idle just before the round: everything else the server wrote. */
  idleWal: number
}

/** Connections per engine: DATABASE_POOL_SIZE's default, what Sage's node has. */
const POOL_SIZE = 10

function databaseName(env: PeerBenchEnv): string {
  return new URL(env.databaseUrl).pathname.slice(1)
}

/** CPU used so far (ms) by each backend of `applicationName`. */
async function backendCpu(env: PeerBenchEnv, applicationName: string): Promise<Map<number, number>> {
  const cpu = new Map<number, number>()
  for (const pid of await backendPids(env.database.db, databaseName(env), applicationName)) cpu.set(pid, await cpuMs({ pids: [pid] }))
  return cpu
}

/**
 * One round: starts the engine, warms it up, waits for PostgreSQL's statistics to settle,
 * runs `runs` runs, then stops the engine; its backends report their commits as they exit.
 */
async function measureRound(env: PeerBenchEnv, start: () => Promise<PeerRunner>, runs: number): Promise<PeerRound> {
  const db = env.database.db
  const peer = await start()
  let stopped = false
  try {
    await drive(peer, 10, 10) // warm-up
    const idle0 = await readWalBytes(db)
    const idleT0 = performance.now()
    await Bun.sleep(STATS_FLUSH_MS)
    const commits0 = await readCommits(db, databaseName(env))
    const backends0 = await backendCpu(env, peer.applicationName)
    const process0 = await cpuMs({ pids: [process.pid] })
    const wal0 = await readWalBytes(db)
    const idleWal = Number(wal0 - idle0) / ((performance.now() - idleT0) / 1000)
    const { times, seconds } = await drive(peer, runs, 50)
    const walBytes = Number((await readWalBytes(db)) - wal0)
    const processMs = (await cpuMs({ pids: [process.pid] })) - process0
    let postgresMs = 0
    for (const [pid, ms] of await backendCpu(env, peer.applicationName)) postgresMs += ms - (backends0.get(pid) ?? 0)
    stopped = true
    await peer.stop()
    await until('the engine\'s backends to exit', async () => (await backendPids(db, databaseName(env), peer.applicationName)).length === 0, 30_000, 50)
    return { rate: runs / seconds, times, processMs, postgresMs, walBytes, commits: (await readCommits(db, databaseName(env))) - commits0, idleWal }
  } finally {
    if (!stopped) await peer.stop()
  }
}

/** The peers' rounds, run a cycle at a time so they can be interleaved with Sage's rounds. */
export interface PeerRounds {
  /** Cycles run so far. */
  cycles(): number
  /** One round of each engine, one after the other. */
  cycle(): Promise<void>
  /** The median round of each engine (by runs per second), as the sessions figure's rows. */
  results(): BenchResult[]
}

/** Makes the step outputs (the simulated model's answers for one session) and the engines; starts nothing yet. */
export async function preparePeers(env: PeerBenchEnv, sizes: BenchSizes): Promise<PeerRounds> {
  const outputs = await simulatedRoleOutputs('Bench a 0: invoice export', 'Finance users export filtered invoices as CSV files.')
  const engines: Array<{ subject: BenchSubject; start: () => Promise<PeerRunner> }> = [
    { subject: 'dbos', start: () => startDbosPeer(env.databaseUrl, outputs.texts, POOL_SIZE) },
    { subject: 'langgraph-sync', start: () => startLangGraphPeer(env.databaseUrl, outputs.texts, POOL_SIZE, 'sync') },
    { subject: 'langgraph-async', start: () => startLangGraphPeer(env.databaseUrl, outputs.texts, POOL_SIZE, 'async') },
  ]
  const rounds = new Map<BenchSubject, PeerRound[]>(engines.map((e) => [e.subject, []]))
  let done = 0
  return {
    cycles: () => done,
    async cycle() {
      for (const engine of engines) rounds.get(engine.subject)?.push(await measureRound(env, engine.start, sizes.sessions))
      done++
    },
    results() {
      const results: BenchResult[] = [
        {
          benchmark: WHOLE_RUNS,
          metric: "CPU per session: the simulated model's work alone (prompts, generation, validation)",
          subject: 'sage',
          value: outputs.modelCpuMs,
          unit: 'ms',
        },
      ]
      for (const [subject, list] of rounds) {
        if (list.length === 0) continue
        const figure = (metric: string, value: number, unit: string): void => {
          results.push({ benchmark: WHOLE_RUNS, metric, subject, value, unit })
        }
        const byRate = [...list].sort((x, y) => x.rate - y.rate)
        const median = byRate[Math.floor(byRate.length / 2)] as PeerRound
        const per = (v: number): number => v / sizes.sessions
        figure('CPU per session: postgres', per(median.postgresMs), 'ms')
        figure("CPU per session: the peer's process (engine and driver)", per(median.processMs), 'ms')
        figure('CPU per session: all processes and PostgreSQL', per(median.processMs + median.postgresMs), 'ms')
        figure('WAL per session', per(median.walBytes) / 1024, 'KiB')
        figure('transactions committed per session', per(median.commits), 'xacts')
        figure('WAL per second just before the round, idle (background, cluster-wide)', median.idleWal / 1024, 'KiB/s')
        figure('sessions per second', median.rate, 'sessions/s')
        if (list.length > 1) {
          figure(`sessions per second, slowest of ${list.length} rounds`, byRate[0]?.rate ?? 0, 'sessions/s')
          figure(`sessions per second, fastest of ${list.length} rounds`, byRate.at(-1)?.rate ?? 0, 'sessions/s')
        }
        figure('session latency p50', quantile(median.times, 0.5), 'ms')
        figure('session latency p99', quantile(median.times, 0.99), 'ms')
      }
      return results
    },
  }
}

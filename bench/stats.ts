/** Who a figure is about: Sage Mode, or one of its peers. */
export type BenchSubject = 'sage' | 'bullmq' | 'redis-streams' | 'dbos' | 'langgraph-sync' | 'langgraph-async'

/** One figure of a benchmark run, as written to bench/results.json. */
export interface BenchResult {
  benchmark: string
  metric: string
  subject: BenchSubject
  value: number
  unit: string
}

/** The benchmark (row group) of whole seven-role runs at latency 0: Sage's sessions and its peers' runs share its rows. */
export const WHOLE_RUNS = 'sessions, 7 agents, latency 0, 50 in flight'

/** The q-quantile (0..1) of `samples` (nearest rank). */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] as number
}

/** Rounds for display and results: 3 significant decimals below 10, whole numbers above 100. */
export function round(v: number): number {
  if (!Number.isFinite(v)) return v
  if (Math.abs(v) >= 100) return Math.round(v)
  if (Math.abs(v) >= 10) return Math.round(v * 10) / 10
  return Math.round(v * 1000) / 1000
}

/** Sizes of one run: full, or the short smoke mode CI uses. */
export interface BenchSizes {
  smoke: boolean
  /** Latency samples discarded at the start of each loop, then the ones measured (every subject alike). */
  latencyWarmup: number
  latencySamples: number
  throughputMessages: number
  workflows: number
  inFlight: number
  failoverSamples: number
  idleSeconds: number
  /** Whole runs (sessions, or the peers' workflows and threads) per round at latency 0, and the rounds. */
  sessions: number
  sessionRounds: number
}

/** Run sizes for the full benchmark or the smoke mode. */
export function benchSizes(smoke: boolean): BenchSizes {
  return smoke
    ? { smoke, latencyWarmup: 50, latencySamples: 200, throughputMessages: 3000, workflows: 200, inFlight: 50, failoverSamples: 1, idleSeconds: 2, sessions: 100, sessionRounds: 1 }
    : { smoke, latencyWarmup: LATENCY_WARMUP, latencySamples: 3000, throughputMessages: 50_000, workflows: 3000, inFlight: 50, failoverSamples: 5, idleSeconds: 5, sessions: 1000, sessionRounds: 3 }
}

/** Waits until `check()` is true, polling every `everyMs`; throws after `timeoutMs`. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 1): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`)
    await Bun.sleep(everyMs)
  }
}

/** CPU time (user + system, ms) used so far by the processes whose command name is one of `names`, or by `pids`. */
export async function cpuMs(select: { pids?: number[]; names?: string[] }): Promise<number> {
  const tick = 1000 / 100 // USER_HZ is 100 on Linux
  let total = 0
  const { readdir } = await import('node:fs/promises')
  const pids = select.pids ?? (await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map(Number)
  for (const pid of pids) {
    try {
      const stat = await Bun.file(`/proc/${pid}/stat`).text()
      const close = stat.lastIndexOf(')')
      const name = stat.slice(stat.indexOf('(') + 1, close)
      if (select.names && !select.names.includes(name)) continue
      const fields = stat.slice(close + 2).split(' ')
      // utime, stime, and cutime, cstime: what its children used before they ended (PostgreSQL backends)
      total += (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total
}

/**
 * Latency samples discarded at the start of each latency loop of a full run (every subject
 * alike), so the figure is steady-state delivery: connection set-up, the first message to
 * each of the 97 actors Sage's loop addresses (an activation), and JIT warm-up (JavaScriptCore
 * compiles a function with its optimizing DFG tier after about a thousand calls, so each
 * message's code path runs about that often before it is measured).
 */
export const LATENCY_WARMUP = 1000

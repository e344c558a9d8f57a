import { sql } from 'kysely'
import { listLeases, partitionOf, startActorNode } from '../src/actors/index.ts'
import { actorNodeOptions } from '../src/boot/index.ts'
import { parseConfig } from '../src/config/index.ts'
import type { DatabaseHandle } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { benchBehaviours, Load, Mark, Ping, StartFlow } from './bench-behaviours.ts'
import { type BenchResult, type BenchSizes, quantile, until } from './stats.ts'

const P = 64

/** Where the runtime benchmark runs. */
export interface SageBenchEnv {
  redisUrl: string
  prefix: string
  database: DatabaseHandle
  databaseUrl: string
}

/**
 * The runtime on one node in this process (Redis transport, PostgreSQL commits):
 * delivery latency, committed throughput, 1 → 7 → 1 workflows.
 */
export async function benchSageNode(env: SageBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const subject = 'sage' as const
  const parsed = parseConfig({ NODE_ID: 'bench-node', SAGE_PARTITIONS: String(P), REDIS_PREFIX: env.prefix, LOG_LEVEL: 'warn', SAGE_WORKERS: '1' })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const log = createLogger('warn', { component: 'bench' })
  const redis = await connectRedis(env.redisUrl, log)
  let seen = -1
  let seenAt = 0
  let completed = 0
  let started = 0
  let startFlow: () => void = () => {}
  const node = await startActorNode({
    options: actorNodeOptions(parsed.config),
    db: env.database.db,
    redis,
    log,
    behaviours: benchBehaviours({
      started(i) {
        seenAt = performance.now()
        seen = i
      },
      loaded() {},
      flowDone() {
        completed++
        if (started < sizes.workflows) startFlow()
      },
    }),
  })
  const handled = node.metrics.counter('sage_messages_handled_total', '')
  const handledTotal = (): number => {
    let n = 0
    for (let p = 0; p < P; p++) n += handled.get({ partition: p })
    return n
  }
  const out: BenchResult[] = []
  try {
    await until('the node to own every partition', () => node.owned().length === P, 30_000, 10)

    for (const durable of [false, true]) {
      const samples: number[] = []
      const base = durable ? 1_000_000 : 0
      for (let i = 0; i < sizes.latencyWarmup + sizes.latencySamples; i++) {
        const t0 = performance.now()
        await node.client.tell(`lat/${i % 97}`, Ping({ i: base + i }), { durable })
        await until('sage latency message', () => seen === base + i, 10_000, 0)
        if (i >= sizes.latencyWarmup) samples.push(seenAt - t0)
      }
      const benchmark = durable ? 'delivery latency (durable tell)' : 'delivery latency'
      out.push({ benchmark, metric: 'p50', subject, value: quantile(samples, 0.5), unit: 'ms' })
      out.push({ benchmark, metric: 'p99', subject, value: quantile(samples, 0.99), unit: 'ms' })
    }

    // Committed throughput: each message writes an effect row; inbox, outbox and effects commit in batches.
    // `load` appends its row to the batch's multi-row INSERT; `load1` does one INSERT per message.
    for (const [kind, benchmark] of [
      ['load', 'throughput'],
      ['load1', 'throughput (one INSERT per message)'],
    ] as const) {
      const before = handledTotal()
      const t0 = performance.now()
      for (let i = 0; i < sizes.throughputMessages; i += 1000) {
        const n = Math.min(1000, sizes.throughputMessages - i)
        await Promise.all(Array.from({ length: n }, (_, k) => node.client.tell(`${kind}/${(i + k) % 1000}`, Load({ i: i + k }), { durable: false })))
      }
      await until('sage throughput', () => handledTotal() - before >= sizes.throughputMessages, 300_000)
      out.push({ benchmark, metric: 'messages/s', subject, value: sizes.throughputMessages / ((performance.now() - t0) / 1000), unit: 'msg/s' })
    }

    // 1 → 7 → 1: the parent tells 7 children (same partition), each tells it back; committed at every hop.
    const flowsBefore = handledTotal()
    startFlow = () => {
      const i = started++
      void node.client.tell(`wf/f${i}`, StartFlow({ i }), { durable: false })
    }
    const w0 = performance.now()
    for (let i = 0; i < sizes.inFlight; i++) startFlow()
    await until('sage workflows', async () => completed >= sizes.workflows && handledTotal() - flowsBefore >= 15 * sizes.workflows, 300_000)
    out.push({ benchmark: '1→7→1 workflows', metric: 'workflows/s', subject, value: sizes.workflows / ((performance.now() - w0) / 1000), unit: 'wf/s' })
  } finally {
    await node.stop()
    await closeRedis(redis)
  }
  return out
}

interface Child {
  nodeId: string
  proc: ReturnType<typeof Bun.spawn>
}

async function spawnBenchNode(nodeId: string, env: Record<string, string>): Promise<Child> {
  const proc = Bun.spawn(['bun', new URL('./bench-node.ts', import.meta.url).pathname], {
    env: { ...process.env, LOG_LEVEL: 'error', NODE_ID: nodeId, ...env },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader()
  let out = ''
  const deadline = Date.now() + 30_000
  while (!out.includes(`ready ${nodeId}`)) {
    const r = await Promise.race([reader.read(), Bun.sleep(Math.max(1, deadline - Date.now())).then(() => null)])
    if (!r || r.done) {
      proc.kill('SIGKILL')
      throw new Error(`bench node ${nodeId} did not start: ${out}`)
    }
    out += new TextDecoder().decode(r.value)
  }
  reader.releaseLock()
  return { nodeId, proc }
}

async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode !== null || c.proc.signalCode !== null) return
  c.proc.kill('SIGTERM')
  const done = await Promise.race([c.proc.exited, Bun.sleep(15_000).then(() => 'timeout')])
  if (done === 'timeout') c.proc.kill('SIGKILL')
}

/**
 * Failover with real processes: SIGKILL the owner of an actor's partition, tell the
 * actor at once, and time until its handler has run again on another node (default
 * lease, or 1 s in smoke mode). Then the idle RSS of a lone node with its Worker pool.
 */
export async function benchSageProcesses(env: SageBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const subject = 'sage' as const
  const leaseMs = sizes.smoke ? 1000 : 5000
  const base = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    REDIS_PREFIX: `${env.prefix}fo:`,
    SAGE_PARTITIONS: String(P),
    SAGE_LEASE_MS: String(leaseMs),
    SAGE_WORKERS: '1',
  }
  const out: BenchResult[] = []
  const children: Child[] = []
  const redis = await connectRedis(env.redisUrl, createLogger('silent'))
  const db = env.database.db
  const balanced = async (): Promise<boolean> => {
    const leases = await listLeases(db, P)
    const live = new Set(children.filter((c) => c.proc.exitCode === null && c.proc.signalCode === null).map((c) => c.nodeId))
    if (leases.some((l) => l.free || !live.has(l.owner as string))) return false
    return [...live].every((n) => leases.filter((l) => l.owner === n).length >= Math.floor(P / live.size))
  }
  try {
    for (const name of ['fo-1', 'fo-2']) children.push(await spawnBenchNode(name, base))
    await until('two bench nodes balanced', balanced, 60_000, 50)
    const samples: number[] = []
    for (let s = 0; s < sizes.failoverSamples; s++) {
      const victim = children.find((c) => c.proc.exitCode === null && c.proc.signalCode === null) as Child
      const leases = await listLeases(db, P)
      let actor = ''
      for (let k = 0; ; k++) {
        const candidate = `mark/s${s}k${k}`
        if (leases[partitionOf(candidate, P)]?.owner === victim.nodeId) {
          actor = candidate
          break
        }
      }
      const token = `t${s}-${Date.now()}`
      victim.proc.kill('SIGKILL')
      const t0 = performance.now()
      await redis.xAdd(`${base.REDIS_PREFIX}{p${partitionOf(actor, P)}}:mbx`, '*', {
        m: token,
        e: JSON.stringify({ v: 1, id: token, to: actor, type: Mark.type, payload: { token }, sent_at: Date.now() }),
      })
      await until(
        'the marker handled on the survivor',
        async () => (await sql`select 1 from bench_marks where token = ${token}`.execute(db)).rows.length === 1,
        60_000,
        20,
      )
      samples.push((performance.now() - t0) / 1000)
      await victim.proc.exited
      children.splice(children.indexOf(victim), 1)
      children.push(await spawnBenchNode(`fo-r${s}`, base))
      await until('bench nodes balanced again', balanced, 60_000, 50)
    }
    out.push({ benchmark: `failover (SIGKILL, lease ${leaseMs / 1000} s)`, metric: 'p50', subject, value: quantile(samples, 0.5), unit: 's' })
    out.push({ benchmark: `failover (SIGKILL, lease ${leaseMs / 1000} s)`, metric: 'p99', subject, value: quantile(samples, 0.99), unit: 's' })
  } finally {
    await Promise.all(children.map(stopChild))
    await closeRedis(redis)
  }

  // Idle memory: a lone node with the default Worker pool (one per core), all partitions owned.
  const { SAGE_WORKERS: _one, ...defaults } = base
  const idle = await spawnBenchNode('idle-node', { ...defaults, REDIS_PREFIX: `${env.prefix}idle:` })
  try {
    await Bun.sleep(sizes.idleSeconds * 1000)
    const status = await Bun.file(`/proc/${idle.proc.pid}/status`).text()
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
    out.push({ benchmark: 'idle node memory (RSS, Worker pool included)', metric: 'rss', subject, value: kb / 1024, unit: 'MB' })
  } finally {
    await stopChild(idle)
  }
  return out
}

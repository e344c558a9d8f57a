import { createLogger } from '../src/log/index.ts'
import { connectRedis, type Redis } from '../src/redis/index.ts'
import { type BenchResult, type BenchSizes, quantile, until } from './stats.ts'

type Client = Redis

function connect(url: string): Promise<Client> {
  return connectRedis(url, createLogger('silent'))
}

interface Entry {
  id: string
  message: Record<string, string>
}

/** A consumer on its own connection: XREADGROUP (BLOCK) → handler → XACK, until stopped. */
function consume(reader: Client, acker: Client, key: string, handle: (m: Record<string, string>) => void): { stop(): Promise<void> } {
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const reply = (await reader.xReadGroup('g', 'c', [{ key, id: '>' }], { COUNT: 1000, BLOCK: 100 }).catch(() => null)) as unknown as Array<{
        messages: Entry[]
      }> | null
      for (const s of reply ?? []) {
        for (const m of s.messages) handle(m.message)
        if (s.messages.length > 0) void acker.xAck(key, 'g', s.messages.map((m) => m.id))
      }
    }
  })()
  return {
    async stop() {
      stopped = true
      await loop
    },
  }
}

/**
 * The floor: raw Redis Streams, one hop (XADD → XREADGROUP), no commit. Latency,
 * throughput, and a 1 → 7 → 1 workflow over one stream.
 */
export async function benchRedisStreams(url: string, prefix: string, sizes: BenchSizes): Promise<BenchResult[]> {
  const [producer, reader, acker] = await Promise.all([connect(url), connect(url), connect(url)])
  const out: BenchResult[] = []
  const subject = 'redis-streams' as const
  try {
    // Latency: sequential XADD → consumer sees it.
    const latKey = `${prefix}raw:lat`
    await producer.xGroupCreate(latKey, 'g', '$', { MKSTREAM: true })
    let seen = -1
    let seenAt = 0
    const lat = consume(reader, acker, latKey, (m) => {
      seen = Number(m.i)
      seenAt = performance.now()
    })
    const samples: number[] = []
    for (let i = 0; i < sizes.latencyWarmup + sizes.latencySamples; i++) {
      const t0 = performance.now()
      await producer.xAdd(latKey, '*', { i: String(i) })
      await until('raw latency entry', () => seen === i, 5000, 0)
      if (i >= sizes.latencyWarmup) samples.push(seenAt - t0)
    }
    await lat.stop()
    out.push({ benchmark: 'delivery latency', metric: 'p50', subject, value: quantile(samples, 0.5), unit: 'ms' })
    out.push({ benchmark: 'delivery latency', metric: 'p99', subject, value: quantile(samples, 0.99), unit: 'ms' })

    // Throughput: pipelined XADDs drained by one consumer.
    const tpKey = `${prefix}raw:tp`
    await producer.xGroupCreate(tpKey, 'g', '$', { MKSTREAM: true })
    let handled = 0
    const tp = consume(reader, acker, tpKey, () => {
      handled++
    })
    const t0 = performance.now()
    for (let i = 0; i < sizes.throughputMessages; i += 1000) {
      await Promise.all(Array.from({ length: Math.min(1000, sizes.throughputMessages - i) }, (_, k) => producer.xAdd(tpKey, '*', { i: String(i + k) })))
    }
    await until('raw throughput', () => handled >= sizes.throughputMessages, 120_000)
    const seconds = (performance.now() - t0) / 1000
    await tp.stop()
    out.push({ benchmark: 'throughput', metric: 'messages/s', subject, value: sizes.throughputMessages / seconds, unit: 'msg/s' })

    // 1 → 7 → 1: a parent entry fans out 7 child entries; each answers; the 7th answer completes it.
    const wfKey = `${prefix}raw:wf`
    await producer.xGroupCreate(wfKey, 'g', '$', { MKSTREAM: true })
    const remaining = new Map<string, number>()
    let completed = 0
    let started = 0
    const startFlow = (): void => {
      const id = String(started++)
      remaining.set(id, 7)
      void producer.xAdd(wfKey, '*', { t: 'start', w: id })
    }
    const wf = consume(reader, acker, wfKey, (m) => {
      if (m.t === 'start') for (let k = 0; k < 7; k++) void producer.xAdd(wfKey, '*', { t: 'work', w: m.w as string })
      else if (m.t === 'work') void producer.xAdd(wfKey, '*', { t: 'done', w: m.w as string })
      else {
        const left = (remaining.get(m.w as string) ?? 0) - 1
        remaining.set(m.w as string, left)
        if (left === 0) {
          remaining.delete(m.w as string)
          completed++
          if (started < sizes.workflows) startFlow()
        }
      }
    })
    const w0 = performance.now()
    for (let i = 0; i < sizes.inFlight; i++) startFlow()
    await until('raw workflows', () => completed >= sizes.workflows, 120_000)
    const wfSeconds = (performance.now() - w0) / 1000
    await wf.stop()
    out.push({ benchmark: '1→7→1 workflows', metric: 'workflows/s', subject, value: sizes.workflows / wfSeconds, unit: 'wf/s' })
    await producer.del([latKey, tpKey, wfKey])
  } finally {
    for (const c of [producer, reader, acker]) c.destroy()
  }
  return out
}

import { createNodeRedisClient, FlowProducer, Queue, Worker } from 'bullmq'
import { createClient } from 'redis'
import { type BenchResult, type BenchSizes, quantile, until } from './stats.ts'

/**
 * The peer users would otherwise pick: BullMQ on the same Redis (node-redis adapter).
 * Latency (Queue.add → processor starts), throughput (addBulk drained by a Worker,
 * concurrency 100), and 1 → 7 → 1 flows with FlowProducer.
 */
export async function benchBullmq(url: string, prefix: string, sizes: BenchSizes): Promise<BenchResult[]> {
  const connection = () => createNodeRedisClient(createClient({ url }))
  const bullPrefix = `${prefix}bull`
  const out: BenchResult[] = []
  const subject = 'bullmq' as const
  const closers: Array<() => Promise<unknown>> = []
  try {
    // Latency.
    const latQueue = new Queue('lat', { connection: connection(), prefix: bullPrefix })
    closers.push(() => latQueue.close())
    let seen = -1
    let seenAt = 0
    const latWorker = new Worker(
      'lat',
      async (job) => {
        seenAt = performance.now()
        seen = job.data.i as number
      },
      { connection: connection(), prefix: bullPrefix, concurrency: 1 },
    )
    closers.push(() => latWorker.close())
    await latWorker.waitUntilReady()
    const samples: number[] = []
    for (let i = 0; i < sizes.latencyWarmup + sizes.latencySamples; i++) {
      const t0 = performance.now()
      await latQueue.add('p', { i }, { removeOnComplete: true })
      await until('bullmq latency job', () => seen === i, 10_000, 0)
      if (i >= sizes.latencyWarmup) samples.push(seenAt - t0)
    }
    out.push({ benchmark: 'delivery latency', metric: 'p50', subject, value: quantile(samples, 0.5), unit: 'ms' })
    out.push({ benchmark: 'delivery latency', metric: 'p99', subject, value: quantile(samples, 0.99), unit: 'ms' })

    // Throughput.
    const tpQueue = new Queue('tp', { connection: connection(), prefix: bullPrefix })
    closers.push(() => tpQueue.close())
    let handled = 0
    const tpWorker = new Worker(
      'tp',
      async () => {
        handled++
      },
      { connection: connection(), prefix: bullPrefix, concurrency: 100, autorun: false },
    )
    closers.push(() => tpWorker.close())
    const t0 = performance.now()
    void tpWorker.run()
    for (let i = 0; i < sizes.throughputMessages; i += 1000) {
      const n = Math.min(1000, sizes.throughputMessages - i)
      await tpQueue.addBulk(Array.from({ length: n }, (_, k) => ({ name: 'm', data: { i: i + k }, opts: { removeOnComplete: true } })))
    }
    await until('bullmq throughput', () => handled >= sizes.throughputMessages, 300_000)
    out.push({ benchmark: 'throughput', metric: 'messages/s', subject, value: sizes.throughputMessages / ((performance.now() - t0) / 1000), unit: 'msg/s' })

    // 1 → 7 → 1 flows.
    const flows = new FlowProducer({ connection: connection(), prefix: bullPrefix })
    closers.push(() => flows.close())
    let completed = 0
    let started = 0
    const parentWorker = new Worker(
      'wf',
      async () => {
        completed++
        if (started < sizes.workflows) void startFlow()
      },
      { connection: connection(), prefix: bullPrefix, concurrency: 50 },
    )
    const childWorker = new Worker('wfc', async () => 1, { connection: connection(), prefix: bullPrefix, concurrency: 50 })
    closers.push(() => parentWorker.close(), () => childWorker.close())
    const startFlow = async (): Promise<void> => {
      started++
      await flows.add({
        name: 'parent',
        queueName: 'wf',
        opts: { removeOnComplete: true },
        children: Array.from({ length: 7 }, (_, k) => ({ name: `child-${k}`, queueName: 'wfc', opts: { removeOnComplete: true } })),
      })
    }
    const w0 = performance.now()
    await Promise.all(Array.from({ length: sizes.inFlight }, () => startFlow()))
    await until('bullmq flows', () => completed >= sizes.workflows, 300_000)
    out.push({ benchmark: '1→7→1 workflows', metric: 'workflows/s', subject, value: sizes.workflows / ((performance.now() - w0) / 1000), unit: 'wf/s' })
    for (const q of [latQueue, tpQueue]) await q.obliterate({ force: true }).catch(() => undefined)
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined)
  }
  return out
}

/**
 * Review as a mailbox, on one actor node (a real `SAGE_ROLE=node` child process) with the
 * simulated provider at latency 0: from a verdict (`approve`, asked of the supervisor as the API
 * does) to the dependant's `task_started` event reaching the driver, one session at a time.
 */
import type { Kysely } from 'kysely'
import { createActorClient, createRedisStreamsTransport } from '../src/actors/index.ts'
import type { Database, DatabaseHandle } from '../src/db/index.ts'
import { createRedisEventBus } from '../src/events/index.ts'
import { createLogger } from '../src/log/index.ts'
import { createActorSessionControl, createSession } from '../src/orchestration/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { startServiceProcess } from '../test/support/service-process.ts'
import { type BenchResult, type BenchSizes, quantile, until } from './stats.ts'

export interface ReviewBenchEnv {
  redisUrl: string
  prefix: string
  database: DatabaseHandle
  databaseUrl: string
}

const PARTITIONS = '16'

async function awaitingTask(db: Kysely<Database>, sessionId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('agent_tasks').select('id').where('session_id', '=', sessionId).where('status', '=', 'awaiting_review').executeTakeFirst()
}

/** Verdict → dependants started, p50/p99 (ms), over `sizes.smoke ? 20 : 300` sessions. */
export async function benchReview(env: ReviewBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const prefix = `${env.prefix}review:`
  const log = createLogger('warn')
  const { child } = await startServiceProcess(
    { SAGE_ROLE: 'node', DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: prefix, SAGE_PARTITIONS: PARTITIONS, SIM_LATENCY_MS: '0', NODE_ID: 'bench-review-node' },
    { stderr: 'inherit' },
  )
  const db = env.database.db
  const redis = await connectRedis(env.redisUrl, log)
  const transport = createRedisStreamsTransport({ redis, prefix, consumer: `bench-review-${process.pid}`, log })
  const client = createActorClient({ db, transport, partitions: Number(PARTITIONS), clientId: `bench-review-${process.pid}`, log })
  const bus = await createRedisEventBus(redis, prefix, log)
  const control = createActorSessionControl({ db, client, bus })
  const user = await db
    .insertInto('users')
    .values({ username: `bench-review-${Date.now()}`, email: `bench-review-${Date.now()}@example.com`, password_hash: 'x' })
    .returning(['id', 'username'])
    .executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: 'bench review', owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  const samples: number[] = []
  const total = sizes.smoke ? 20 : 300
  const warmup = sizes.smoke ? 3 : 20
  try {
    for (let i = 0; i < total + warmup; i++) {
      const session = await createSession(db, control, user.id, {
        team_id: team.id,
        feature_name: `Bench review ${i}: invoice export`,
        plan: 'sequential',
        agents: ['software_architect', 'backend_developer'],
        review: ['software_architect'],
      })
      let task: { id: number } | undefined
      await until('the architect to await review', async () => (task = await awaitingTask(db, session.id)) !== undefined, 30_000, 2)
      const started = Promise.withResolvers<number>()
      const unsubscribe = await bus.subscribe(session.id, (event) => {
        if (event.type === 'task_started' && event.data.agent_role === 'backend_developer') started.resolve(performance.now())
      })
      const t0 = performance.now()
      const outcome = await control.review({
        session_id: session.id,
        task_id: (task as { id: number }).id,
        attempt: 1,
        verdict: 'approve',
        comment: null,
        reviewer_id: user.id,
        reviewer: user.username,
      })
      if (outcome !== 'reviewed') throw new Error(`verdict ${outcome}`)
      const t1 = await started.promise
      await unsubscribe()
      if (i >= warmup) samples.push(t1 - t0)
    }
  } finally {
    await bus.close()
    await closeRedis(redis)
    child.kill('SIGTERM')
    await child.exited
  }
  const benchmark = 'review, verdict → dependants started, one node'
  return [
    { benchmark, metric: 'p50', subject: 'sage', value: quantile(samples, 0.5), unit: 'ms' },
    { benchmark, metric: 'p99', subject: 'sage', value: quantile(samples, 0.99), unit: 'ms' },
  ]
}

/**
 * A fork of a finished seven-role session from its last stage (`it_administrator`: the six
 * other roles are copied, one runs again), on one node over Redis Streams and PostgreSQL with
 * the simulated provider at latency 0: the time from the fork request to the re-run role's
 * first model call (its task row turns `running` in the commit that hands the attempt to the
 * Worker pool), p50 and p99, measured by polling the row every millisecond.
 */
import type { DatabaseHandle } from '../src/db/index.ts'
import { actorNodeOptions } from '../src/boot/index.ts'
import { startActorNode } from '../src/actors/index.ts'
import { parseConfig } from '../src/config/index.ts'
import { createRedisEventBus } from '../src/events/index.ts'
import { silentLogger } from '../src/log/index.ts'
import {
  AGENT_WORKER_ENTRY,
  agentWorkerEnv,
  createActorSessionControl,
  createSession,
  createSessionBehaviours,
  forkSession,
} from '../src/orchestration/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { type BenchResult, type BenchSizes, quantile, until } from './stats.ts'

/** p50/p99 of fork → first model call of the re-run role. */
export async function benchFork(ctx: { redisUrl: string; prefix: string; database: DatabaseHandle }, sizes: BenchSizes): Promise<BenchResult[]> {
  const { db } = ctx.database
  const parsed = parseConfig({ LOG_LEVEL: 'silent', PORT: '0', NODE_ID: 'bench-fork', REDIS_PREFIX: `${ctx.prefix}fork:`, SIM_LATENCY_MS: '0', SAGE_WORKERS: '2' })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const config = parsed.config
  const log = silentLogger()
  const redis = await connectRedis(ctx.redisUrl, log)
  const bus = await createRedisEventBus(redis, config.REDIS_PREFIX, log)
  const node = await startActorNode({
    options: actorNodeOptions(config),
    db,
    redis,
    log,
    behaviours: createSessionBehaviours({ config, bus, log }),
    workerEntry: AGENT_WORKER_ENTRY,
    workerEnv: agentWorkerEnv(config),
  })
  const control = createActorSessionControl({ db, client: node.client, bus })
  try {
    const name = `fork${Date.now().toString(36)}`
    const user = await db.insertInto('users').values({ username: name, email: `${name}@example.test`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
    const team = await db.insertInto('teams').values({ name, owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
    const parent = await createSession(db, control, user.id, { team_id: team.id, feature_name: 'Invoice export to CSV', description: 'Finance users export invoices.' })
    await until('the parent session', async () => (await db.selectFrom('execution_sessions').select('status').where('id', '=', parent.id).executeTakeFirstOrThrow()).status !== 'active', 60_000, 20)
    const samples: number[] = []
    const rounds = sizes.smoke ? 20 : 200
    for (let i = 0; i < rounds + 5; i++) {
      const t0 = performance.now()
      const forked = await forkSession(db, control, user.id, parent.id, { from_role: 'it_administrator', feedback: `Round ${i}` })
      if (!forked.ok) throw new Error(`fork failed: ${forked.reason}`)
      const id = forked.session.id
      await until(
        'the re-run role to start',
        async () => (await db.selectFrom('agent_tasks').select('status').where('session_id', '=', id).where('agent_role', '=', 'it_administrator').executeTakeFirstOrThrow()).status !== 'pending',
        30_000,
      )
      if (i >= 5) samples.push(performance.now() - t0)
    }
    const benchmark = 'fork of a 7-role session from the last stage'
    return [
      { benchmark, metric: 'fork → first model call p50', subject: 'sage', value: quantile(samples, 0.5), unit: 'ms' },
      { benchmark, metric: 'fork → first model call p99', subject: 'sage', value: quantile(samples, 0.99), unit: 'ms' },
    ]
  } finally {
    await node.stop()
    await bus.close()
    await closeRedis(redis)
  }
}

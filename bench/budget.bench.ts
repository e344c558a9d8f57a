/**
 * Budgets on vs off (issue 17): whole sessions per second at SIM_LATENCY_MS=0 on one node process,
 * the same run alternating rounds of sessions of a team without budgets and of a team whose
 * sessions have a budget and whose monthly budget is on, as a team paying the bill would have:
 * every step that starts tasks then locks the team's month row until its commit to reserve their
 * estimates, and every task's end settles its reservation (without that lock). All the "on"
 * sessions belong to one team, so they all queue on the one month row. A price is set for
 * `simulated` so the reservations are real amounts. The figure to read is the ratio.
 */
import type { Kysely } from 'kysely'
import { createActorClient, createRedisStreamsTransport } from '../src/actors/index.ts'
import type { Database } from '../src/db/index.ts'
import { createRedisEventBus } from '../src/events/index.ts'
import { createLogger } from '../src/log/index.ts'
import { createActorSessionControl, createSession } from '../src/orchestration/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { startServiceProcess } from '../test/support/service-process.ts'
import { drive } from './closed-loop.ts'
import type { SessionBenchEnv } from './sessions.bench.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

const PARTITIONS = process.env.BENCH_PARTITIONS ?? '64'
const MODEL_PRICES = JSON.stringify({ simulated: { input: 2, output: 10 } })

/** Sessions per second with budgets off and on, alternating rounds on one node. */
export async function benchBudget(env: SessionBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const prefix = `${env.prefix}budget:`
  const { child } = await startServiceProcess(
    { SAGE_ROLE: 'node', DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, REDIS_PREFIX: prefix, SAGE_PARTITIONS: PARTITIONS, SIM_LATENCY_MS: '0', NODE_ID: 'bench-budget', MODEL_PRICES },
    { stderr: 'inherit' },
  )
  const db: Kysely<Database> = env.database.db
  const log = createLogger('warn')
  const redis = await connectRedis(env.redisUrl, log)
  const transport = createRedisStreamsTransport({ redis, prefix, consumer: `bench-budget-${process.pid}`, log })
  const client = createActorClient({ db, transport, partitions: Number(PARTITIONS), clientId: `bench-budget-${process.pid}`, log })
  const bus = await createRedisEventBus(redis, prefix, log)
  const control = createActorSessionControl({ db, client, bus })
  const user = await db
    .insertInto('users')
    .values({ username: `bench-budget-${Date.now()}`, email: `bench-budget-${Date.now()}@example.com`, password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const team = async (name: string, monthly: number | null) =>
    (await db.insertInto('teams').values({ name, owner_id: user.id, monthly_budget_usd: monthly }).returning('id').executeTakeFirstOrThrow()).id
  const variants = {
    off: { teamId: await team('bench budgets off', null), budget: null },
    on: { teamId: await team('bench budgets on', 1_000_000), budget: 1000 },
  }
  const driver = (variant: keyof typeof variants) => ({
    async run(i: number) {
      const started = performance.now()
      const { teamId, budget } = variants[variant]
      const session = await createSession(db, control, user.id, { team_id: teamId, feature_name: `Budget bench ${variant} ${i}`, budget_usd: budget })
      for (;;) {
        const row = await db.selectFrom('execution_sessions').select('status').where('id', '=', session.id).executeTakeFirstOrThrow()
        if (row.status !== 'active') break
        await Bun.sleep(20)
      }
      return performance.now() - started
    },
  })
  const rates: Record<keyof typeof variants, number[]> = { off: [], on: [] }
  try {
    await drive(driver('off'), 10, 10)
    await drive(driver('on'), 10, 10)
    const n = sizes.smoke ? 40 : Math.max(200, Math.floor(sizes.sessions / 2))
    const rounds = Math.max(2, sizes.sessionRounds * 2)
    for (let r = 0; r < rounds; r++) {
      // Alternate which goes first, so neither always meets the warmer machine.
      for (const variant of r % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        const { seconds } = await drive(driver(variant), n, 50)
        rates[variant].push(n / seconds)
      }
    }
  } finally {
    await client.close()
    await transport.stop()
    await bus.close()
    await closeRedis(redis)
    child.kill('SIGTERM')
    await child.exited
  }
  const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5)
  const off = median(rates.off)
  const on = median(rates.on)
  const bench = 'budgets on (session + monthly, one team) vs off (whole sessions, SIM_LATENCY_MS=0, one node)'
  return [
    { benchmark: bench, metric: 'sessions/s, budgets off (median round)', subject: 'sage', value: off, unit: 'sessions/s' },
    { benchmark: bench, metric: 'sessions/s, budgets on (median round)', subject: 'sage', value: on, unit: 'sessions/s' },
    { benchmark: bench, metric: 'budgets on ÷ off', subject: 'sage', value: on / off, unit: 'ratio' },
  ]
}

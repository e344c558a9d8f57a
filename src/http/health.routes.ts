import { sql, type Kysely } from 'kysely'
import { Elysia } from 'elysia'
import type { Database } from '../db/index.ts'
import type { Redis } from '../redis/index.ts'

export interface HealthDeps {
  db: Kysely<Database>
  redis: Redis | null
  nodeId: string
}

/** The body of `GET /health`. */
export interface HealthReport {
  status: 'ok' | 'degraded'
  db: 'up' | 'down'
  redis: 'up' | 'down' | 'embedded'
  node_id: string
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: Timer | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** Checks PostgreSQL and Redis, each within a second. Never throws. */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const [db, redis] = await Promise.all([
    within(1000, sql`select 1`.execute(deps.db)).then(
      () => 'up' as const,
      () => 'down' as const,
    ),
    deps.redis
      ? within(1000, deps.redis.ping()).then(
          () => 'up' as const,
          () => 'down' as const,
        )
      : Promise.resolve('embedded' as const),
  ])
  return { status: db === 'up' && redis !== 'down' ? 'ok' : 'degraded', db, redis, node_id: deps.nodeId }
}

/** `GET /health`: 200 when every part is up, 503 naming the failing part otherwise. */
export function healthRoutes(deps: HealthDeps) {
  return new Elysia({ name: 'health-routes' }).get('/health', async ({ set }) => {
    const report = await checkHealth(deps)
    set.headers['cache-control'] = 'no-store'
    if (report.status !== 'ok') set.status = 503
    return report
  })
}

import { html } from '@elysiajs/html'
import { Elysia } from 'elysia'
import type { Kysely } from 'kysely'
import type { Config } from '../config/index.ts'
import type { Database } from '../db/index.ts'
import type { Logger } from '../log/index.ts'
import type { Redis } from '../redis/index.ts'
import { errorHandling } from './error-handler.ts'
import { healthRoutes } from './health.routes.ts'

/** Everything the HTTP app needs, passed in (no module-level singletons). */
export interface AppDeps {
  config: Config
  db: Kysely<Database>
  /** Null on the embedded default. */
  redis: Redis | null
  log: Logger
  /** Aborted when the process shuts down: long-lived streams end on it. */
  shutdown: AbortSignal
}

/** The whole web app: pages, fragments, JSON API, streams. */
export function createApp(deps: AppDeps) {
  return new Elysia({ serve: { maxRequestBodySize: deps.config.BODY_LIMIT_BYTES * 4 } })
    .use(html())
    .use(errorHandling(deps.log))
    .use(healthRoutes({ db: deps.db, redis: deps.redis, nodeId: deps.config.NODE_ID }))
}

/** The operations endpoints alone, served by a process in the `node` role. */
export function createOpsApp(deps: AppDeps) {
  return new Elysia()
    .use(errorHandling(deps.log))
    .use(healthRoutes({ db: deps.db, redis: deps.redis, nodeId: deps.config.NODE_ID }))
}

export type App = ReturnType<typeof createApp>

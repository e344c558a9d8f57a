/** The whole HTTP app in the bench process, over a given database (no Redis, database-only session control). */
import type { Kysely } from 'kysely'
import { createAuthBackends } from '../src/auth/index.ts'
import { parseConfig } from '../src/config/index.ts'
import type { Database } from '../src/db/index.ts'
import { createEventFeed, createInProcessEventBus } from '../src/events/index.ts'
import { type App, createApp } from '../src/http/index.ts'
import { silentLogger } from '../src/log/index.ts'
import { createMetricsRegistry } from '../src/metrics/index.ts'
import { createDirectSessionControl } from '../test/orchestration/direct-session-control.ts'

/** An in-process app for `app.handle` requests; `close()` stops its event feed. */
export function benchApp(db: Kysely<Database>, nodeId: string): { app: App; close(): Promise<void> } {
  const parsed = parseConfig({ LOG_LEVEL: 'silent', PORT: '0', NODE_ID: nodeId })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  const config = parsed.config
  const shutdown = new AbortController()
  const feed = createEventFeed({ db, bus: createInProcessEventBus(), log: silentLogger() })
  const app = createApp({
    config,
    db,
    redis: null,
    log: silentLogger(),
    shutdown: shutdown.signal,
    ...createAuthBackends({ db, redis: null, redisPrefix: `${nodeId}:`, sessionTtlSeconds: config.SESSION_TTL_SECONDS }),
    sessionControl: createDirectSessionControl(db),
    feed,
    metrics: createMetricsRegistry(),
  })
  return {
    app,
    async close() {
      shutdown.abort()
      await feed.close()
    },
  }
}

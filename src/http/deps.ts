import type { Kysely } from 'kysely'
import type { AuthLimits, RateLimiter, SessionStore } from '../auth/index.ts'
import type { Config } from '../config/index.ts'
import type { Database } from '../db/index.ts'
import type { EventFeed } from '../events/index.ts'
import type { Logger } from '../log/index.ts'
import type { MetricsRegistry } from '../metrics/index.ts'
import type { SessionControl } from '../orchestration/index.ts'
import type { Redis } from '../redis/index.ts'

// A leaf: route files import this type from here, never from app.ts (which imports them).
/** Everything the HTTP app needs, passed in (no module-level singletons). */
export interface AppDeps {
  config: Config
  db: Kysely<Database>
  /** Null on the embedded default. */
  redis: Redis | null
  log: Logger
  /** Aborted when the process shuts down: long-lived streams end on it. */
  shutdown: AbortSignal
  /** Login sessions (Redis or database; see createAuthBackends). */
  sessions: SessionStore
  /** Counters behind the login/signup rate limits. */
  rateLimiter: RateLimiter
  /** The seam to the session supervisor. */
  sessionControl: SessionControl
  /** Live session events for SSE and WebSocket streams. */
  feed: EventFeed
  /** The process's metrics registry (the actor node's when it runs one), rendered at `/metrics`. */
  metrics: MetricsRegistry
  /** Overrides of the login/signup limits (DEFAULT_AUTH_LIMITS otherwise). */
  authLimits?: AuthLimits
}

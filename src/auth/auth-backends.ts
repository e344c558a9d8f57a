import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import type { Redis } from '../redis/index.ts'
import { createCachedSessionStore } from './cached-session-store.ts'
import { createDatabaseRateLimiter } from './db-rate-limiter.ts'
import { createDatabaseSessionStore } from './db-session-store.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { createRedisRateLimiter } from './redis-rate-limiter.ts'
import type { SessionStore } from './session-store.ts'

/** Where auth state lives: login sessions in the database (cached in Redis when the process has it), rate limits in Redis or the database. */
export interface AuthBackendOptions {
  db: Kysely<Database>
  redis: Redis | null
  /** Redis key prefix (config REDIS_PREFIX). */
  redisPrefix: string
  sessionTtlSeconds: number
  now?: () => number
}

/**
 * The session store and rate limiter for this process. Sessions are kept in the database,
 * the truth, with Redis as a cache when `redis` is set (a Redis that loses its data logs
 * nobody out); rate limits are counted in Redis when set.
 */
export function createAuthBackends(options: AuthBackendOptions): { sessions: SessionStore; rateLimiter: RateLimiter } {
  const storeOptions = { ttlSeconds: options.sessionTtlSeconds, ...(options.now ? { now: options.now } : {}) }
  if (options.redis) {
    return {
      sessions: createCachedSessionStore(options.db, options.redis, options.redisPrefix, storeOptions),
      rateLimiter: createRedisRateLimiter(options.redis, options.redisPrefix),
    }
  }
  return { sessions: createDatabaseSessionStore(options.db, storeOptions), rateLimiter: createDatabaseRateLimiter(options.db) }
}

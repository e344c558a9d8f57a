import type { Redis } from '../redis/index.ts'
import type { RateLimiter, RateWindow } from './rate-limiter.ts'

function toWindow(count: unknown, pttl: unknown): RateWindow {
  const n = Number(count ?? 0)
  const ms = Number(pttl)
  return { count: Number.isFinite(n) ? n : 0, resetsInSeconds: ms > 0 ? Math.ceil(ms / 1000) : 0 }
}

/** Counters in Redis under `<prefix>rl:<key>`: INCR, then PEXPIRE NX, so the window starts at the first hit. */
export function createRedisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  const k = (key: string): string => `${prefix}rl:${key}`
  return {
    async hit(key, windowSeconds) {
      const [count, , pttl] = await redis.multi().incr(k(key)).pExpire(k(key), windowSeconds * 1000, 'NX').pTTL(k(key)).exec()
      return toWindow(count, pttl)
    },
    async peek(key) {
      const [count, pttl] = await redis.multi().get(k(key)).pTTL(k(key)).exec()
      return count === null ? { count: 0, resetsInSeconds: 0 } : toWindow(count, pttl)
    },
    async reset(key) {
      await redis.del(k(key))
    },
  }
}

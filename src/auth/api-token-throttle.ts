import { type AuthLimits, DEFAULT_AUTH_LIMITS } from './auth-throttle.ts'
import type { RateLimiter } from './rate-limiter.ts'

/** The rate limit on bearer secrets that do not authenticate, as logins limit wrong passwords. */
export interface ApiTokenThrottle {
  /** Seconds `ip` must wait before its next bearer attempt, or null when allowed. */
  check(ip: string | null): Promise<number | null>
  /** Records a bearer secret from `ip` that did not authenticate. */
  failed(ip: string | null): Promise<void>
}

/**
 * Failed bearer attempts per client IP, under the same rule as login attempts per IP
 * (`loginAttemptsPerIp`): past it, every bearer request from that IP is 429 until the
 * window ends. Requests without a known address (in-process) are not counted.
 */
export function createApiTokenThrottle(limiter: RateLimiter, limits: AuthLimits = DEFAULT_AUTH_LIMITS): ApiTokenThrottle {
  const rule = limits.loginAttemptsPerIp
  const key = (ip: string): string => `token-fail-ip:${ip}`
  return {
    async check(ip) {
      if (ip === null) return null
      const window = await limiter.peek(key(ip))
      return window.count >= rule.limit ? Math.max(1, window.resetsInSeconds) : null
    },
    async failed(ip) {
      if (ip !== null) await limiter.hit(key(ip), rule.windowSeconds)
    },
  }
}

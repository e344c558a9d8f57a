import type { RateLimiter } from './rate-limiter.ts'

/** One limit: at most `limit` counted events per `windowSeconds`. */
export interface RateRule {
  limit: number
  windowSeconds: number
}

/** The limits on login and signup. */
export interface AuthLimits {
  /** Wrong passwords per account before login is refused. */
  loginFailuresPerAccount: RateRule
  /** Login attempts per client IP. */
  loginAttemptsPerIp: RateRule
  /** Signup attempts per client IP. */
  signupsPerIp: RateRule
  /** Signup attempts per requested username or email. */
  signupsPerAccount: RateRule
}

/** Ten wrong passwords lock an account's login for 15 minutes; the rest are generous for shared IPs. */
export const DEFAULT_AUTH_LIMITS: AuthLimits = {
  loginFailuresPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  loginAttemptsPerIp: { limit: 100, windowSeconds: 15 * 60 },
  signupsPerIp: { limit: 20, windowSeconds: 60 * 60 },
  signupsPerAccount: { limit: 10, windowSeconds: 60 * 60 },
}

/** The login/signup rate-limit policy. Each check returns seconds to wait, or null when allowed. */
export interface AuthThrottle {
  /** Counts a login attempt from `ip` and checks the account's failures (`account` from loginAccountKey). Call before verifying the password. */
  beforeLogin(ip: string | null, account: string): Promise<number | null>
  /** Records a wrong password for the account. */
  loginFailed(account: string): Promise<void>
  /** Clears the account's failures. */
  loginSucceeded(account: string): Promise<void>
  /** Counts a signup attempt from `ip` for `username` and `email`. */
  beforeSignup(ip: string | null, username: string, email: string): Promise<number | null>
}

/**
 * The policy over a RateLimiter. Per-IP limits apply only when the client address is
 * known (it is not for in-process requests such as `app.handle` in tests).
 */
export function createAuthThrottle(limiter: RateLimiter, limits: AuthLimits = DEFAULT_AUTH_LIMITS): AuthThrottle {
  const accountKey = (account: string): string => `login-fail:${account}`
  const over = async (key: string, rule: RateRule): Promise<number | null> => {
    const w = await limiter.hit(key, rule.windowSeconds)
    return w.count > rule.limit ? Math.max(1, w.resetsInSeconds) : null
  }
  return {
    async beforeLogin(ip, account) {
      if (ip !== null) {
        const wait = await over(`login-ip:${ip}`, limits.loginAttemptsPerIp)
        if (wait !== null) return wait
      }
      const failures = await limiter.peek(accountKey(account))
      return failures.count >= limits.loginFailuresPerAccount.limit ? Math.max(1, failures.resetsInSeconds) : null
    },
    async loginFailed(account) {
      await limiter.hit(accountKey(account), limits.loginFailuresPerAccount.windowSeconds)
    },
    async loginSucceeded(account) {
      await limiter.reset(accountKey(account))
    },
    async beforeSignup(ip, username, email) {
      if (ip !== null) {
        const wait = await over(`signup-ip:${ip}`, limits.signupsPerIp)
        if (wait !== null) return wait
      }
      const byName = await over(`signup-name:${username.toLowerCase()}`, limits.signupsPerAccount)
      const byEmail = await over(`signup-email:${email.toLowerCase()}`, limits.signupsPerAccount)
      return byName ?? byEmail
    },
  }
}

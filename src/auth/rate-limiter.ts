/** A counter's state in its current fixed window. */
export interface RateWindow {
  /** Hits counted in the current window (0 when there is none). */
  count: number
  /** Seconds until the window ends (0 when there is none). */
  resetsInSeconds: number
}

/**
 * Fixed-window counters keyed by a string. Two implementations: Redis (so limits
 * hold across web processes) and the database (the embedded default).
 */
export interface RateLimiter {
  /** Counts one hit on `key`, opening a window of `windowSeconds` when none is open. */
  hit(key: string, windowSeconds: number): Promise<RateWindow>
  /** The current window of `key` without counting. */
  peek(key: string): Promise<RateWindow>
  /** Forgets `key` (e.g. after a successful login). */
  reset(key: string): Promise<void>
}

import { isServiceUnavailable } from '../http/index.ts'
import type { Logger } from '../log/index.ts'

/** How `waitFor` retries. */
export interface WaitForOptions {
  /** What is waited for, as the log says it ("PostgreSQL"). */
  what: string
  log: Logger
  /** Stops the wait (a signal during start-up): `waitFor` then rejects with the signal's reason. */
  signal: AbortSignal
  /** First delay; doubles up to `maxDelayMs`, with ±25% jitter. Defaults 250 ms and 5 s. */
  initialDelayMs?: number
  maxDelayMs?: number
}

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Runs `attempt` until it succeeds, retrying with exponential backoff (and a log line naming
 * what it waits for) while it fails because a service is unreachable (`isServiceUnavailable`).
 * Any other error is thrown at once, as is the signal's reason when it aborts.
 */
export async function waitFor<T>(attempt: () => Promise<T>, options: WaitForOptions): Promise<T> {
  const max = options.maxDelayMs ?? 5000
  let delay = options.initialDelayMs ?? 250
  for (let tries = 1; ; tries++) {
    if (options.signal.aborted) throw options.signal.reason
    try {
      const value = await attempt()
      if (tries > 1) options.log.info(`${options.what} is reachable`, { tries })
      return value
    } catch (error) {
      if (!isServiceUnavailable(error)) throw error
      const wait = Math.round(delay * (0.75 + Math.random() * 0.5))
      options.log.warn(`waiting for ${options.what}`, { tries, retry_in_ms: wait, error: error instanceof Error ? error.message : String(error) })
      await abortable(wait, options.signal)
      delay = Math.min(max, delay * 2)
    }
  }
}

/**
 * Resolves as `pending` does, logging "waiting for <what>" every `everyMs` meanwhile (for a
 * client that retries by itself, as node-redis does); rejects when `signal` aborts.
 */
export async function logWhileWaiting<T>(pending: Promise<T>, options: WaitForOptions & { everyMs?: number }): Promise<T> {
  let tries = 0
  const timer = setInterval(() => {
    tries += 1
    options.log.warn(`waiting for ${options.what}`, { waited_ms: tries * (options.everyMs ?? 2000) })
  }, options.everyMs ?? 2000)
  try {
    return await Promise.race([pending, abortable(2 ** 31 - 1, options.signal).then(() => pending)])
  } finally {
    clearInterval(timer)
  }
}

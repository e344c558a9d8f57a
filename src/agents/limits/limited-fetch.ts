import type { ModelLimits } from './model-limits.ts'
import { backoffFrom } from './rate-limit-headers.ts'

/** Options of {@link limitedFetch}. */
export interface LimitedFetchOptions {
  /** The node's shared limits (or a promise of them while a Worker joins the node's). */
  limits: ModelLimits | Promise<ModelLimits>
  /** The provider key: one concurrency limit and one back-off per key (`openai:http://…`). */
  key: string
  /** Calls open at once on this key across the node (`MODEL_CONCURRENCY`). */
  concurrency: number
  /** A 429 is sent again after the node's back-off this many times before the caller sees it (default 8). */
  rateLimitRetries?: number
  /** A back-off longer than this is not waited out: the 429 goes to the caller (default 60 s). */
  maxWaitMs?: number
}

/** The pause after a 429 that names none: 1 s, doubling per retry, at most 30 s. */
function defaultBackoff(retry: number): number {
  return Math.min(30_000, 1000 * 2 ** retry)
}

/**
 * A 429 made here, without a request, when the provider asked the node to wait longer than a
 * call waits (a used-up daily quota): the caller's fallbacks or supervision take over at once.
 */
function pausedTooLong(limits: ModelLimits, slot: number, maxWait: number): Response | null {
  const left = limits.pausedUntil(slot) - Date.now()
  if (left <= maxWait) return null
  const seconds = Math.ceil(left / 1000)
  const message = `the provider asked this node to wait ${seconds} s (Retry-After or a used-up rate limit); not sent`
  return Response.json({ error: { message, type: 'rate_limit_paused' } }, { status: 429, headers: { 'retry-after': String(seconds) } })
}

/** `response` whose body, once read to the end, cancelled or failed, calls `done` (once). */
function releasingOnEnd(response: Response, done: () => void): Response {
  if (!response.body) {
    done()
    return response
  }
  const reader = response.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read()
        if (ended) {
          done()
          controller.close()
        } else controller.enqueue(value)
      } catch (error) {
        done()
        controller.error(error)
      }
    },
    cancel(reason) {
      done()
      return reader.cancel(reason)
    },
  })
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
}

/**
 * `inner` (a fetch) limited per provider across the node: each call waits while the provider
 * is paused, then for one of `concurrency` permits, which it holds until the response body
 * ends. A response that asks for a pause (429 `Retry-After`, a used-up rate-limit budget)
 * pauses every call to the provider on the node, and a 429 is sent again after the pause,
 * up to `rateLimitRetries` times. Rejects with the caller's abort like fetch does.
 */
export function limitedFetch(options: LimitedFetchOptions, inner: typeof fetch = fetch): typeof fetch {
  const retries = options.rateLimitRetries ?? 8
  const maxWait = options.maxWaitMs ?? 60_000
  const limited = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const limits = await options.limits
    const slot = limits.slot(options.key)
    const signal = init?.signal ?? undefined
    // Only a body that can be sent twice (the SDKs send JSON text) lets a 429 be retried here.
    const resendable = init?.body === undefined || init.body === null || typeof init.body === 'string'
    const paused = pausedTooLong(limits, slot, maxWait)
    if (paused) return paused
    await limits.waitWhilePaused(slot, signal)
    await limits.acquire(slot, options.concurrency, signal)
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      limits.release(slot)
    }
    try {
      for (let retry = 0; ; retry++) {
        // Holding the permit: a pause may have started while this call waited for it, and a
        // call that got a 429 goes first once the pause ends (it is not sent to the back).
        await limits.waitWhilePaused(slot, signal)
        const response = await inner(input, init)
        const backoff = backoffFrom(response.status, response.headers)
        const wait = response.status === 429 ? (backoff ?? defaultBackoff(retry)) : backoff
        if (wait !== null && wait > 0) limits.pause(slot, Date.now() + wait)
        if (response.status === 429 && resendable && retry < retries && (wait ?? 0) <= maxWait) {
          await response.body?.cancel().catch(() => {})
          continue
        }
        return releasingOnEnd(response, release)
      }
    } catch (error) {
      release()
      throw error
    }
  }
  return Object.assign(limited, { preconnect: inner.preconnect }) as typeof fetch
}

import { AbortError } from './errors.ts'

/** The AbortError for `signal`, carrying its reason's message. */
export function abortErrorFrom(signal: AbortSignal): AbortError {
  const reason: unknown = signal.reason
  const detail = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'aborted'
  return new AbortError(`agent call aborted: ${detail}`)
}

/** Resolves after `ms`; rejects with AbortError as soon as `signal` aborts (and clears its timer). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(abortErrorFrom(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Resolves once `performance.now()` has reached `deadline` (never early: timers may round a
 * delay down, so it sleeps again for what is left); rejects with AbortError if `signal` aborts.
 */
export async function abortableSleepUntil(deadline: number, signal: AbortSignal): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) {
    await abortableSleep(Math.ceil(left), signal)
  }
  if (signal.aborted) throw abortErrorFrom(signal)
}

/** Waits until `signal` aborts, then rejects with AbortError: a call that never answers. */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal))
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(abortErrorFrom(signal)), { once: true })
  })
}

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

/** Waits until `signal` aborts, then rejects with AbortError: a call that never answers. */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal))
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(abortErrorFrom(signal)), { once: true })
  })
}

/**
 * `load` run on the first call and its promise shared by every later one; a failed load
 * is forgotten, so the next call tries again. For modules only some configurations need.
 * @example
 * const sdk = loadOnce(() => import('@ai-sdk/anthropic'))
 * const { createAnthropic } = await sdk()
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null
      throw error
    })
    return loading
  }
}

import { AbortError, ProviderError } from '../errors.ts'
import type { AgentRole } from '../role-ids.ts'
import type { ModelProvider, ProviderName, ProviderRequest, ProviderResponse } from './provider.ts'

/** One fallback: a model, on the primary's provider or on another one. */
export interface FallbackTarget {
  provider: ModelProvider
  model: string
}

/** `anthropic:claude-haiku-4-5` → provider and model; `llama3.1:8b` (no provider name before the colon) → the primary's. */
export function parseFallbackEntry(entry: string): { provider: ProviderName | null; model: string } {
  const colon = entry.indexOf(':')
  const head = colon > 0 ? entry.slice(0, colon) : ''
  if (head === 'openai' || head === 'anthropic' || head === 'simulated') return { provider: head, model: entry.slice(colon + 1) }
  return { provider: null, model: entry }
}

/** Worth trying another model: a retryable provider failure (5xx, 429 past its retries, transport). */
function fallsBack(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable && !(error instanceof AbortError)
}

/**
 * `primary` with fallbacks: after a retryable ProviderError, the role's fallbacks are tried in
 * order with the same request; the response names the provider and model that answered.
 * A non-retryable error, an abort, or the last fallback's failure reaches the caller.
 */
export function withFallbacks(primary: ModelProvider, fallbacksFor: (role: AgentRole) => FallbackTarget[]): ModelProvider {
  return {
    name: primary.name,
    modelFor: (role) => primary.modelFor(role),
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      let lastError: unknown
      try {
        return await primary.generate(request)
      } catch (error) {
        if (!fallsBack(error)) throw error
        lastError = error
      }
      for (const target of fallbacksFor(request.role)) {
        if (request.signal.aborted) break
        try {
          const response = await target.provider.generate({ ...request, model: target.model })
          return { ...response, provider: response.provider ?? target.provider.name }
        } catch (error) {
          if (!fallsBack(error)) throw error
          lastError = error
        }
      }
      throw lastError
    },
  }
}

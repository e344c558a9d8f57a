import type { AgentRole } from '../role-ids.ts'
import { versionedBaseUrl } from './base-url.ts'
import { loadOnce } from './load-once.ts'
import type { ModelProvider, ProviderRequest, ProviderResponse } from './provider.ts'

/** Options of the Anthropic provider. */
export interface AnthropicProviderOptions {
  apiKey: string
  /** Default `https://api.anthropic.com/v1`. */
  baseURL?: string
  model: string
  overrides?: Partial<Record<AgentRole, string>>
  /** AI SDK retries per call (default 0: supervision owns retries). */
  maxRetries?: number
  fetch?: typeof fetch
}

/**
 * A provider for Anthropic's Messages API via `@ai-sdk/anthropic`: streaming, with the role's
 * schema sent as native structured output (or the SDK's JSON tool on models without it).
 * The SDK is loaded on the first call, so a node on another provider does not carry it.
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const baseURL = options.baseURL ? versionedBaseUrl(options.baseURL) : undefined
  const sdk = loadOnce(async () => {
    const [{ createAnthropic }, { streamStructured }] = await Promise.all([import('@ai-sdk/anthropic'), import('./ai-sdk-stream.ts')])
    const client = createAnthropic({
      apiKey: options.apiKey,
      ...(baseURL ? { baseURL } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })
    return { client, streamStructured }
  })
  const modelFor = (role: AgentRole): string => options.overrides?.[role] ?? options.model
  return {
    name: 'anthropic',
    modelFor,
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      const { client, streamStructured } = await sdk()
      return streamStructured(request, { model: client(request.model), modelId: request.model, maxRetries: options.maxRetries ?? 0 })
    },
  }
}

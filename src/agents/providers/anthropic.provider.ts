import { createAnthropic } from '@ai-sdk/anthropic'
import type { AgentRole } from '../role-ids.ts'
import { streamStructured } from './ai-sdk-stream.ts'
import { versionedBaseUrl } from './base-url.ts'
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
 */
export function createAnthropicProvider(options: AnthropicProviderOptions): ModelProvider {
  const client = createAnthropic({
    apiKey: options.apiKey,
    ...(options.baseURL ? { baseURL: versionedBaseUrl(options.baseURL) } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  const modelFor = (role: AgentRole): string => options.overrides?.[role] ?? options.model
  return {
    name: 'anthropic',
    modelFor,
    generate(request: ProviderRequest): Promise<ProviderResponse> {
      return streamStructured(request, { model: client(request.model), modelId: request.model, maxRetries: options.maxRetries ?? 0 })
    },
  }
}

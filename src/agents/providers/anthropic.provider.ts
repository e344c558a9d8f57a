import type { AgentRole } from '../role-ids.ts'
import { versionedBaseUrl } from './base-url.ts'
import { createAiSdkProvider } from './ai-sdk-provider.ts'
import type { ModelProvider } from './provider.ts'

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
  return createAiSdkProvider({
    name: 'anthropic',
    model: options.model,
    overrides: options.overrides,
    maxRetries: options.maxRetries,
    async load() {
      const { createAnthropic } = await import('@ai-sdk/anthropic')
      return createAnthropic({
        apiKey: options.apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    },
    callOptions: (client, modelId) => ({ model: client(modelId) }),
  })
}

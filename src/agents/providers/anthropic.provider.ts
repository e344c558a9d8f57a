import type { AgentRole } from '../role-ids.ts'
import { versionedBaseUrl } from './base-url.ts'
import { createAiSdkProvider, type JsonSchemaMode } from './ai-sdk-provider.ts'
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
  /** Send the role's JSON schema as the response format: `auto` (default), `on` or `off` (see JsonSchemaMode). */
  jsonSchema?: JsonSchemaMode
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
    jsonSchema: options.jsonSchema,
    async load() {
      const { createAnthropic } = await import('@ai-sdk/anthropic')
      return createAnthropic({
        apiKey: options.apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    },
    // The shared head of the system prompt is a cache breakpoint: the session's other agents read it from the cache.
    callOptions: (client, modelId) => ({ model: client(modelId), cacheMark: { anthropic: { cacheControl: { type: 'ephemeral' } } } }),
  })
}

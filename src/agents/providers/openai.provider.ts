import type { AgentRole } from '../role-ids.ts'
import { versionedBaseUrl } from './base-url.ts'
import { createAiSdkProvider, type JsonSchemaMode } from './ai-sdk-provider.ts'
import type { ModelProvider } from './provider.ts'

/** Options of the OpenAI-compatible provider. */
export interface OpenAIProviderOptions {
  /** Any chat-completions server: OpenAI, Ollama, vLLM, LM Studio, OpenRouter. */
  baseURL: string
  /** Sent as `Authorization: Bearer …`; local servers usually need none. */
  apiKey?: string
  model: string
  overrides?: Partial<Record<AgentRole, string>>
  /** AI SDK retries per call (default 0: supervision owns retries). */
  maxRetries?: number
  /** Send the role's JSON schema as the response format: `auto` (default), `on` or `off` (see JsonSchemaMode). */
  jsonSchema?: JsonSchemaMode
  /** For tests and proxies. */
  fetch?: typeof fetch
}

/**
 * A provider for any OpenAI-compatible chat-completions endpoint, via `@ai-sdk/openai-compatible`:
 * streaming with usage, and the role's schema as `response_format: json_schema` (non-strict,
 * so servers that do not support every JSON-schema keyword still accept it). The SDK is
 * loaded on the first call, so a node on another provider does not carry it in every Worker.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const baseURL = versionedBaseUrl(options.baseURL)
  return createAiSdkProvider({
    name: 'openai',
    model: options.model,
    overrides: options.overrides,
    maxRetries: options.maxRetries,
    jsonSchema: options.jsonSchema,
    async load() {
      const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible')
      return createOpenAICompatible({
        name: 'openai',
        baseURL,
        ...(options.apiKey ? { apiKey: options.apiKey } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        includeUsage: true,
        supportsStructuredOutputs: true,
      })
    },
    callOptions: (client, modelId) => ({
      model: client.chatModel(modelId),
      providerOptions: { openaiCompatible: { strictJsonSchema: false } },
    }),
  })
}

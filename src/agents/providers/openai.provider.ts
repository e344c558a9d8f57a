import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import type { AgentRole } from '../role-ids.ts'
import { streamStructured } from './ai-sdk-stream.ts'
import { versionedBaseUrl } from './base-url.ts'
import type { ModelProvider, ProviderRequest, ProviderResponse } from './provider.ts'

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
  /** For tests and proxies. */
  fetch?: typeof fetch
}

/**
 * A provider for any OpenAI-compatible chat-completions endpoint, via `@ai-sdk/openai-compatible`:
 * streaming with usage, and the role's schema as `response_format: json_schema` (non-strict,
 * so servers that do not support every JSON-schema keyword still accept it).
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const client = createOpenAICompatible({
    name: 'openai',
    baseURL: versionedBaseUrl(options.baseURL),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    includeUsage: true,
    supportsStructuredOutputs: true,
  })
  const modelFor = (role: AgentRole): string => options.overrides?.[role] ?? options.model
  return {
    name: 'openai',
    modelFor,
    generate(request: ProviderRequest): Promise<ProviderResponse> {
      return streamStructured(request, {
        model: client.chatModel(request.model),
        modelId: request.model,
        maxRetries: options.maxRetries ?? 0,
        providerOptions: { openaiCompatible: { strictJsonSchema: false } },
      })
    },
  }
}

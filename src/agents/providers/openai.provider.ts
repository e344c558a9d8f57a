import type { AgentRole } from '../role-ids.ts'
import { versionedBaseUrl } from './base-url.ts'
import { loadOnce } from './load-once.ts'
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
 * so servers that do not support every JSON-schema keyword still accept it). The SDK is
 * loaded on the first call, so a node on another provider does not carry it in every Worker.
 */
export function createOpenAIProvider(options: OpenAIProviderOptions): ModelProvider {
  const baseURL = versionedBaseUrl(options.baseURL)
  const sdk = loadOnce(async () => {
    const [{ createOpenAICompatible }, { streamStructured }] = await Promise.all([import('@ai-sdk/openai-compatible'), import('./ai-sdk-stream.ts')])
    const client = createOpenAICompatible({
      name: 'openai',
      baseURL,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      includeUsage: true,
      supportsStructuredOutputs: true,
    })
    return { client, streamStructured }
  })
  const modelFor = (role: AgentRole): string => options.overrides?.[role] ?? options.model
  return {
    name: 'openai',
    modelFor,
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      const { client, streamStructured } = await sdk()
      return streamStructured(request, {
        model: client.chatModel(request.model),
        modelId: request.model,
        maxRetries: options.maxRetries ?? 0,
        providerOptions: { openaiCompatible: { strictJsonSchema: false } },
      })
    },
  }
}

import type { AgentRole } from '../role-ids.ts'
import type { AiSdkCallOptions } from './ai-sdk-stream.ts'
import { loadOnce } from './load-once.ts'
import type { ModelProvider, ProviderName, ProviderRequest, ProviderResponse } from './provider.ts'

/** What one AI SDK backed provider adds to the shared wrapper: its SDK client and how a call names its model. */
export interface AiSdkProviderSpec<Client> {
  name: Exclude<ProviderName, 'simulated'>
  /** The default model, and per-role overrides. */
  model: string
  overrides?: Partial<Record<AgentRole, string>> | undefined
  /** AI SDK retries per call (default 0: supervision owns retries). */
  maxRetries?: number | undefined
  /** Imports the SDK and builds its client; runs once, on the first call. */
  load(): Promise<Client>
  /** The model (and provider options) for one call to `modelId`. */
  callOptions(client: Client, modelId: string): Pick<AiSdkCallOptions, 'model' | 'providerOptions'>
}

/**
 * The provider wrapper every AI SDK backed provider shares: `modelFor` from the default model
 * and the role's override, and `generate` as one streamed structured-output call. The SDK (and
 * the AI SDK itself) load on the first call, so a node on another provider does not carry them
 * in every Worker.
 */
export function createAiSdkProvider<Client>(spec: AiSdkProviderSpec<Client>): ModelProvider {
  const sdk = loadOnce(async () => {
    const [client, { streamStructured }] = await Promise.all([spec.load(), import('./ai-sdk-stream.ts')])
    return { client, streamStructured }
  })
  return {
    name: spec.name,
    modelFor: (role: AgentRole): string => spec.overrides?.[role] ?? spec.model,
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      const { client, streamStructured } = await sdk()
      return streamStructured(request, { ...spec.callOptions(client, request.model), modelId: request.model, maxRetries: spec.maxRetries ?? 0 })
    },
  }
}

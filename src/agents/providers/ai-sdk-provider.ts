import type { AgentRole } from '../role-ids.ts'
import { ProviderError } from '../errors.ts'
import type { AiSdkCallOptions } from './ai-sdk-stream.ts'
import { loadOnce } from './load-once.ts'
import type { ModelProvider, ProviderName, ProviderRequest, ProviderResponse } from './provider.ts'

/**
 * Whether a call sends the role's JSON schema as its response format: `on` always, `off`
 * never (the prompt's plain JSON instructions only), `auto` until the server rejects it
 * (a 400/422 naming the response format), then plain instructions for this provider.
 */
export type JsonSchemaMode = 'auto' | 'on' | 'off'

/** What one AI SDK backed provider adds to the shared wrapper: its SDK client and how a call names its model. */
export interface AiSdkProviderSpec<Client> {
  name: Exclude<ProviderName, 'simulated'>
  /** The default model, and per-role overrides. */
  model: string
  overrides?: Partial<Record<AgentRole, string>> | undefined
  /** AI SDK retries per call (default 0: supervision owns retries). */
  maxRetries?: number | undefined
  /** Default `auto`. */
  jsonSchema?: JsonSchemaMode | undefined
  /** Imports the SDK and builds its client; runs once, on the first call. */
  load(): Promise<Client>
  /** The model (and provider options) for one call to `modelId`. */
  callOptions(client: Client, modelId: string): Pick<AiSdkCallOptions, 'model' | 'providerOptions' | 'cacheMark'>
}

/** A 400/422 that names the response format: the server does not take a JSON schema. */
function rejectsSchema(error: unknown): boolean {
  if (!(error instanceof ProviderError) || (error.status !== 400 && error.status !== 422)) return false
  return /response_format|json_schema|structured|schema|format/i.test(error.message)
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
  const mode = spec.jsonSchema ?? 'auto'
  // `auto` learns per provider (and Worker) that the server takes no JSON schema.
  let schemaRejected = false
  return {
    name: spec.name,
    modelFor: (role: AgentRole): string => spec.overrides?.[role] ?? spec.model,
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      const { client, streamStructured } = await sdk()
      const call = (structured: boolean): Promise<ProviderResponse> =>
        streamStructured(request, { ...spec.callOptions(client, request.model), modelId: request.model, maxRetries: spec.maxRetries ?? 0, structured })
      if (mode === 'off' || (mode === 'auto' && schemaRejected)) return call(false)
      try {
        return await call(true)
      } catch (error) {
        if (mode !== 'auto' || !rejectsSchema(error)) throw error
        schemaRejected = true
        return call(false)
      }
    },
  }
}

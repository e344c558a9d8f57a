import type { z } from 'zod'
import type { AgentInput, TokenUsage } from '../agent-types.ts'
import type { AgentRole } from '../role-ids.ts'

/** The provider kinds `MODEL_PROVIDER` selects. */
export type ProviderName = 'simulated' | 'openai' | 'anthropic'

/** One message of the conversation sent after the system prompt. */
export interface ProviderMessage {
  role: 'user' | 'assistant'
  content: string
}

/** One structured-output call. */
export interface ProviderRequest {
  role: AgentRole
  model: string
  system: string
  messages: ProviderMessage[]
  /** The role's output schema; sent to the model as its JSON schema. */
  schema: z.ZodObject
  schemaName: string
  schemaDescription: string
  /** `repair` when this call asks the model to fix its previous output. */
  purpose: 'answer' | 'repair'
  /** The agent's input as data: the simulated provider writes from it; HTTP providers ignore it. */
  input: AgentInput
  /** Reaches the HTTP request; aborting rejects the call with `AbortError`. */
  signal: AbortSignal
  /** Each text delta as it streams. */
  onChunk?: (delta: string) => void
  /**
   * The start of `system` that every agent of the session shares (role-independent
   * instructions, the feature, the journal), in characters: providers that cache prompt
   * prefixes mark it cacheable (Anthropic `cache_control`). 0 or absent: nothing marked.
   */
  sharedSystemChars?: number
  /** A cap on the reply's tokens; absent: the provider's default. */
  maxOutputTokens?: number
}

/** How one call's reply ended: `stop`, `length` (cut at the token limit), `content-filter`, … */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other' | 'unknown'

/** The raw answer; `runAgent` parses and validates it. */
export interface ProviderResponse {
  text: string
  model: string
  usage: TokenUsage
  /** The provider that answered, when it is not the one called (a fallback on another vendor). */
  provider?: string
  /** Absent: the provider does not report one (read as `stop`). */
  finishReason?: FinishReason
  /** Milliseconds from the call to the first text delta (null: none came), and to the end. */
  timing?: { firstTokenMs: number | null; totalMs: number }
}

/**
 * A language model behind one interface. `generate` streams one answer and resolves with
 * its full text, or rejects with `ProviderError` (transport/HTTP) or `AbortError` (signal).
 */
export interface ModelProvider {
  readonly name: ProviderName
  /** The model a role uses: its `MODEL_OVERRIDES` entry, else `MODEL_NAME`, else the provider's default. */
  modelFor(role: AgentRole): string
  generate(request: ProviderRequest): Promise<ProviderResponse>
}

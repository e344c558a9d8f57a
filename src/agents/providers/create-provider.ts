import type { Config } from '../../config/index.ts'
import { AGENT_ROLES, type AgentRole, isAgentRole } from '../role-ids.ts'
import { createAnthropicProvider } from './anthropic.provider.ts'
import { createOpenAIProvider } from './openai.provider.ts'
import type { ModelProvider } from './provider.ts'
import { createSimulatedProvider } from './simulated.provider.ts'

/** The part of Config that picks and configures the provider (plain data: safe to post into a Worker). */
export type ProviderConfig = Pick<
  Config,
  'MODEL_PROVIDER' | 'MODEL_NAME' | 'MODEL_OVERRIDES' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'ANTHROPIC_BASE_URL' | 'ANTHROPIC_API_KEY' | 'SIM_LATENCY_MS'
>

/** Hooks that are not configuration. */
export interface CreateProviderOptions {
  /** Simulated provider: what `[sim:crash=…]` does (a Worker passes `() => process.exit(1)`). */
  onCrash?: () => void
  /** HTTP providers: retries inside the AI SDK per call (default 0; supervision retries). */
  maxRetries?: number
  fetch?: typeof fetch
}

/** Default models when `MODEL_NAME` is unset and the vendor's own endpoint is used. */
export const DEFAULT_MODELS = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-5' } as const

const OPENAI_URL = 'https://api.openai.com/v1'

function overridesOf(config: ProviderConfig): Partial<Record<AgentRole, string>> {
  const overrides: Partial<Record<AgentRole, string>> = {}
  for (const [role, model] of Object.entries(config.MODEL_OVERRIDES ?? {})) {
    if (!isAgentRole(role)) throw new Error(`MODEL_OVERRIDES names unknown role "${role}"; roles are ${AGENT_ROLES.join(', ')}`)
    overrides[role] = model
  }
  return overrides
}

/**
 * The provider `MODEL_PROVIDER` selects, configured from `config`. Throws an Error naming
 * the missing variable when a real provider lacks what it needs (checked at start-up,
 * not on the first call). Reads no environment.
 */
export function createProvider(config: ProviderConfig, options: CreateProviderOptions = {}): ModelProvider {
  const overrides = overridesOf(config)
  switch (config.MODEL_PROVIDER) {
    case 'simulated':
      return createSimulatedProvider({
        latencyMs: config.SIM_LATENCY_MS,
        ...(config.MODEL_NAME ? { model: config.MODEL_NAME } : {}),
        overrides,
        ...(options.onCrash ? { onCrash: options.onCrash } : {}),
      })
    case 'openai': {
      if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) {
        throw new Error('MODEL_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama)')
      }
      if (config.OPENAI_BASE_URL && !config.MODEL_NAME) throw new Error('MODEL_PROVIDER=openai with OPENAI_BASE_URL needs MODEL_NAME')
      return createOpenAIProvider({
        baseURL: config.OPENAI_BASE_URL ?? OPENAI_URL,
        ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
        model: config.MODEL_NAME ?? DEFAULT_MODELS.openai,
        overrides,
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    }
    case 'anthropic': {
      if (!config.ANTHROPIC_API_KEY) throw new Error('MODEL_PROVIDER=anthropic needs ANTHROPIC_API_KEY')
      return createAnthropicProvider({
        apiKey: config.ANTHROPIC_API_KEY,
        ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
        model: config.MODEL_NAME ?? DEFAULT_MODELS.anthropic,
        overrides,
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      })
    }
  }
}

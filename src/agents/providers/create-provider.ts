import type { Config } from '../../config/index.ts'
import { createModelLimits, limitedFetch, type ModelLimits } from '../limits/index.ts'
import { AGENT_ROLES, type AgentRole, isAgentRole } from '../role-ids.ts'
import { createAnthropicProvider } from './anthropic.provider.ts'
import { type FallbackTarget, parseFallbackEntry, withFallbacks } from './fallback.provider.ts'
import { createOpenAIProvider } from './openai.provider.ts'
import type { ModelProvider, ProviderName } from './provider.ts'
import { createSimulatedProvider } from './simulated.provider.ts'

/** The part of Config that picks and configures the provider (plain data: safe to post into a Worker). */
export type ProviderConfig = Pick<
  Config,
  'MODEL_PROVIDER' | 'MODEL_NAME' | 'MODEL_OVERRIDES' | 'OPENAI_BASE_URL' | 'OPENAI_API_KEY' | 'ANTHROPIC_BASE_URL' | 'ANTHROPIC_API_KEY' | 'SIM_LATENCY_MS'
> &
  Partial<Pick<Config, 'MODEL_CONCURRENCY' | 'MODEL_FALLBACKS' | 'MODEL_JSON_SCHEMA'>>

/** Hooks that are not configuration. */
export interface CreateProviderOptions {
  /** Simulated provider: what `[sim:crash=…]` does (a Worker passes `() => process.exit(1)`). */
  onCrash?: () => void
  /** HTTP providers: retries inside the AI SDK per call (default 0; supervision retries). */
  maxRetries?: number
  fetch?: typeof fetch
  /**
   * The node's shared call limits (`MODEL_CONCURRENCY` and back-offs hold across every thread
   * that shares them: a Worker passes `joinModelLimits(channel)`); default: limits of this thread only.
   */
  limits?: ModelLimits | Promise<ModelLimits>
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
 * The provider `MODEL_PROVIDER` selects, configured from `config`, with the role's
 * `MODEL_FALLBACKS` behind it. Every HTTP call goes through the node's limits: at most
 * `MODEL_CONCURRENCY` open per provider endpoint, paused node-wide while a provider asks for
 * a back-off. Throws an Error naming the missing variable when a real provider (or a
 * fallback's) lacks what it needs (checked at start-up, not on the first call). Reads no environment.
 */
export function createProvider(config: ProviderConfig, options: CreateProviderOptions = {}): ModelProvider {
  const overrides = overridesOf(config)
  const limits = options.limits ?? createModelLimits()
  const built = new Map<ProviderName, ModelProvider>()
  const build = (kind: ProviderName): ModelProvider => {
    const existing = built.get(kind)
    if (existing) return existing
    const provider = buildProvider(kind, config, overrides, options, limits)
    built.set(kind, provider)
    return provider
  }
  const primary = build(config.MODEL_PROVIDER)
  const fallbacks = fallbacksOf(config, (kind) => build(kind ?? config.MODEL_PROVIDER))
  return Object.keys(fallbacks).length === 0 ? primary : withFallbacks(primary, (role) => fallbacks[role] ?? fallbacks['*'] ?? [])
}

/** `MODEL_FALLBACKS` as providers and models per role (`*`: every other role). */
function fallbacksOf(config: ProviderConfig, providerOf: (kind: ProviderName | null) => ModelProvider): Record<string, FallbackTarget[]> {
  const out: Record<string, FallbackTarget[]> = {}
  for (const [role, entries] of Object.entries(config.MODEL_FALLBACKS ?? {})) {
    if (role !== '*' && !isAgentRole(role)) throw new Error(`MODEL_FALLBACKS names unknown role "${role}"; roles are ${AGENT_ROLES.join(', ')}`)
    out[role] = entries.map((entry) => {
      const { provider, model } = parseFallbackEntry(entry)
      return { provider: providerOf(provider), model }
    })
  }
  return out
}

function buildProvider(
  kind: ProviderName,
  config: ProviderConfig,
  overrides: Partial<Record<AgentRole, string>>,
  options: CreateProviderOptions,
  limits: ModelLimits | Promise<ModelLimits>,
): ModelProvider {
  const limited = (baseURL: string): typeof fetch =>
    limitedFetch({ limits, key: `${kind}:${baseURL}`, concurrency: config.MODEL_CONCURRENCY ?? 4 }, options.fetch ?? fetch)
  const primary = kind === config.MODEL_PROVIDER
  // A fallback on another vendor fails start-up naming the variable that sent the node there.
  const needs = primary ? `MODEL_PROVIDER=${kind}` : `MODEL_FALLBACKS naming ${kind}:`
  // A fallback on another vendor uses that vendor's default model unless its entry names one (it always does).
  const model = (fallbackDefault: string): string => (primary ? (config.MODEL_NAME ?? fallbackDefault) : fallbackDefault)
  switch (kind) {
    case 'simulated':
      return createSimulatedProvider({
        latencyMs: config.SIM_LATENCY_MS,
        ...(primary && config.MODEL_NAME ? { model: config.MODEL_NAME } : {}),
        ...(primary ? { overrides } : {}),
        ...(options.onCrash ? { onCrash: options.onCrash } : {}),
      })
    case 'openai': {
      if (!config.OPENAI_BASE_URL && !config.OPENAI_API_KEY) {
        throw new Error(`${needs} needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server such as Ollama)`)
      }
      if (primary && config.OPENAI_BASE_URL && !config.MODEL_NAME) throw new Error('MODEL_PROVIDER=openai with OPENAI_BASE_URL needs MODEL_NAME')
      const baseURL = config.OPENAI_BASE_URL ?? OPENAI_URL
      return createOpenAIProvider({
        baseURL,
        ...(config.OPENAI_API_KEY ? { apiKey: config.OPENAI_API_KEY } : {}),
        model: model(DEFAULT_MODELS.openai),
        ...(primary ? { overrides } : {}),
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        jsonSchema: config.MODEL_JSON_SCHEMA ?? 'auto',
        fetch: limited(baseURL),
      })
    }
    case 'anthropic': {
      if (!config.ANTHROPIC_API_KEY) throw new Error(`${needs} needs ANTHROPIC_API_KEY`)
      return createAnthropicProvider({
        apiKey: config.ANTHROPIC_API_KEY,
        ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
        model: model(DEFAULT_MODELS.anthropic),
        ...(primary ? { overrides } : {}),
        ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
        jsonSchema: config.MODEL_JSON_SCHEMA ?? 'auto',
        fetch: limited(config.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com'),
      })
    }
  }
}

import { z } from 'zod'
import type { Config } from '../config/index.ts'

/** The name of the Worker environment variable that carries the agent settings. */
export const AGENT_SETTINGS_ENV = 'SAGE_AGENT_SETTINGS'

/** What an agent Worker needs from the configuration: the provider's settings and prices. */
export const AgentSettingsSchema = z.object({
  MODEL_PROVIDER: z.enum(['simulated', 'openai', 'anthropic']),
  MODEL_NAME: z.string().optional(),
  MODEL_OVERRIDES: z.record(z.string(), z.string()).optional(),
  OPENAI_BASE_URL: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  SIM_LATENCY_MS: z.object({ min: z.number(), max: z.number() }),
  MODEL_PRICES: z.string().optional(),
  MODEL_CONCURRENCY: z.number().int().min(1).default(4),
  MODEL_FALLBACKS: z.record(z.string(), z.array(z.string())).optional(),
  MODEL_JSON_SCHEMA: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The BroadcastChannel on which the node hands its Workers the shared model limits (startModelLimitsHost). */
  MODEL_LIMITS_CHANNEL: z.string().optional(),
})

export type AgentSettings = z.output<typeof AgentSettingsSchema>

/**
 * The Worker environment that hands `config`'s agent settings to the pool's Workers, and the
 * channel of the node's shared model limits (without one, each Worker limits its own calls).
 */
export function agentWorkerEnv(config: Config, limitsChannel?: string): Record<string, string> {
  const settings: AgentSettings = {
    MODEL_PROVIDER: config.MODEL_PROVIDER,
    MODEL_NAME: config.MODEL_NAME,
    MODEL_OVERRIDES: config.MODEL_OVERRIDES,
    OPENAI_BASE_URL: config.OPENAI_BASE_URL,
    OPENAI_API_KEY: config.OPENAI_API_KEY,
    ANTHROPIC_BASE_URL: config.ANTHROPIC_BASE_URL,
    ANTHROPIC_API_KEY: config.ANTHROPIC_API_KEY,
    SIM_LATENCY_MS: config.SIM_LATENCY_MS,
    MODEL_PRICES: config.MODEL_PRICES,
    MODEL_CONCURRENCY: config.MODEL_CONCURRENCY,
    MODEL_FALLBACKS: config.MODEL_FALLBACKS,
    MODEL_JSON_SCHEMA: config.MODEL_JSON_SCHEMA,
    MODEL_LIMITS_CHANNEL: limitsChannel,
  }
  return { TZ: 'UTC', [AGENT_SETTINGS_ENV]: JSON.stringify(settings) }
}

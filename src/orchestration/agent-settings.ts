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
})

export type AgentSettings = z.output<typeof AgentSettingsSchema>

/** The Worker environment that hands `config`'s agent settings to the pool's Workers. */
export function agentWorkerEnv(config: Config): Record<string, string> {
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
  }
  return { TZ: 'UTC', [AGENT_SETTINGS_ENV]: JSON.stringify(settings) }
}

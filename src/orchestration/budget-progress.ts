import { type AgentRole, priceFor, priceUsage, unknownPriceReporter } from '../agents/index.ts'
import type { Logger } from '../log/index.ts'
import type { RolePricing } from '../sessions/index.ts'

/** Characters of streamed JSON per output token, as the simulated provider counts them (a fair rule of thumb for English JSON). */
const CHARS_PER_TOKEN = 4

/**
 * What a running attempt has cost so far, for its progress events: the output tokens estimated
 * from the characters streamed, at its model's output price (null when the price is unknown).
 * The recorded cost, from the provider's own counts, replaces it when the attempt completes.
 */
export function streamedUsage(pricing: RolePricing): (role: AgentRole, chars: number) => { output_tokens: number; cost_usd: number | null } {
  return (role, chars) => {
    const output_tokens = Math.ceil(Math.max(0, chars) / CHARS_PER_TOKEN)
    const price = priceFor(pricing.modelOf(role), pricing.prices)
    return { output_tokens, cost_usd: price ? priceUsage(price, { inputTokens: 0, outputTokens: output_tokens }) : null }
  }
}

/** Logs a model without a price once per process (its cost counts as 0 and its card says "price unknown"). */
export function unpricedModelLogger(pricing: RolePricing, log: Logger): (model: string) => void {
  const report = unknownPriceReporter(pricing.prices, (model) =>
    log.warn('no price for this model: its cost counts as 0 (set MODEL_PRICES to price it)', { model }),
  )
  return (model) => void report(model)
}

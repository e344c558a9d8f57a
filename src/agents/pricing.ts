import { z } from 'zod'
import type { TokenUsage } from './agent-types.ts'

/** USD per million tokens. */
export interface ModelPrice {
  input: number
  output: number
  /** Input tokens served from the provider's prompt cache; absent: priced as `input`. */
  cachedInput?: number
}

/** Tokens of a call; `cachedInputTokens` (part of `inputTokens`) are priced at the cached rate. */
export interface PricedUsage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens?: number
}

/** Prices by model id. */
export type PriceTable = Readonly<Record<string, ModelPrice>>

/**
 * Built-in list prices (USD per million tokens, as published by the vendors in 2025; `cachedInput`
 * is OpenAI's cached-input rate and Anthropic's cache-read rate). Override or extend with
 * `MODEL_PRICES`; an unknown model has no cost (null: counted as 0 in totals and budgets, and shown
 * as "price unknown"). The simulated provider is free unless `MODEL_PRICES` names it.
 */
export const DEFAULT_PRICES: PriceTable = {
  simulated: { input: 0, output: 0 },
  'gpt-5': { input: 1.25, output: 10, cachedInput: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cachedInput: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cachedInput: 0.005 },
  'gpt-4o': { input: 2.5, output: 10, cachedInput: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cachedInput: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cachedInput: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cachedInput: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cachedInput: 0.025 },
  o3: { input: 2, output: 8, cachedInput: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cachedInput: 0.275 },
  'claude-opus-4-1': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-opus-4-0': { input: 15, output: 75, cachedInput: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-sonnet-4-0': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-3-7-sonnet-latest': { input: 3, output: 15, cachedInput: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cachedInput: 0.1 },
  'claude-3-5-haiku-latest': { input: 0.8, output: 4, cachedInput: 0.08 },
}

const PriceOverrides = z.record(
  z.string().min(1),
  z.object({ input: z.number().min(0), output: z.number().min(0), cachedInput: z.number().min(0).optional() }),
)

/**
 * The price table for `MODEL_PRICES` (a JSON object `{"model": {"input": 1, "output": 2}}`)
 * merged over the defaults. Throws an Error naming the problem when the JSON is malformed.
 */
export function createPriceTable(modelPricesJson: string | undefined): PriceTable {
  if (modelPricesJson === undefined) return DEFAULT_PRICES
  let raw: unknown
  try {
    raw = JSON.parse(modelPricesJson)
  } catch {
    throw new Error('MODEL_PRICES must be JSON like {"my-model":{"input":1,"output":2}}')
  }
  const parsed = PriceOverrides.safeParse(raw)
  if (!parsed.success) throw new Error(`MODEL_PRICES: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  return { ...DEFAULT_PRICES, ...parsed.data }
}

/**
 * The price of `model`: an exact entry, else the longest entry the id extends with `-…`
 * (dated snapshots like `gpt-4o-2024-08-06`), also after a `vendor/` prefix (OpenRouter).
 */
export function priceFor(model: string, table: PriceTable): ModelPrice | null {
  const candidates = model.includes('/') ? [model, model.slice(model.lastIndexOf('/') + 1)] : [model]
  for (const id of candidates) {
    const exact = table[id]
    if (exact) return exact
    let best: string | null = null
    for (const key of Object.keys(table)) {
      if (id.startsWith(`${key}-`) && (best === null || key.length > best.length)) best = key
    }
    if (best !== null) return table[best] ?? null
  }
  return null
}

/** USD of `usage` at `price`, rounded to 1e-8 (what the columns and the budgets hold). */
export function priceUsage(price: ModelPrice, usage: PricedUsage): number {
  const cached = Math.min(Math.max(0, usage.cachedInputTokens ?? 0), usage.inputTokens)
  const usd = ((usage.inputTokens - cached) * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output) / 1_000_000
  return Math.round(usd * 1e8) / 1e8
}

/** Cost in USD of `usage` on `model`; null when the model's price is unknown. */
export function costUsd(model: string, usage: TokenUsage | PricedUsage, table: PriceTable): number | null {
  const price = priceFor(model, table)
  return price ? priceUsage(price, usage) : null
}

/**
 * Calls `warn` the first time each model without a price is seen (a process logs an unknown
 * model once, not once per call); returns whether the model has a price.
 */
export function unknownPriceReporter(table: PriceTable, warn: (model: string) => void): (model: string) => boolean {
  const reported = new Set<string>()
  return (model) => {
    if (priceFor(model, table)) return true
    if (!reported.has(model)) {
      reported.add(model)
      warn(model)
    }
    return false
  }
}

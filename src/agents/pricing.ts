import { z } from 'zod'
import type { TokenUsage } from './agent-types.ts'

/** USD per million tokens. */
export interface ModelPrice {
  input: number
  output: number
}

/** Prices by model id. */
export type PriceTable = Readonly<Record<string, ModelPrice>>

/**
 * Built-in list prices (USD per million tokens, as published by the vendors in 2025).
 * Override or extend with `MODEL_PRICES`; an unknown model has no cost (null), not zero.
 */
export const DEFAULT_PRICES: PriceTable = {
  simulated: { input: 0, output: 0 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-sonnet-4-0': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-5-haiku-latest': { input: 0.8, output: 4 },
}

const PriceOverrides = z.record(z.string().min(1), z.object({ input: z.number().min(0), output: z.number().min(0) }))

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

/** Cost in USD of `usage` on `model`; null when the model's price is unknown. */
export function costUsd(model: string, usage: TokenUsage, table: PriceTable): number | null {
  const price = priceFor(model, table)
  if (!price) return null
  const usd = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000
  return Math.round(usd * 1e8) / 1e8
}

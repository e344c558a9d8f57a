import { describe, expect, it } from 'bun:test'
import { costUsd, createPriceTable, DEFAULT_PRICES, priceFor, unknownPriceReporter } from './pricing.ts'

describe('pricing', () => {
  it('prices a known model per million tokens', () => {
    expect(costUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 500_000 }, DEFAULT_PRICES)).toBe(7.5)
  })

  it('returns null, not zero, for an unknown model', () => {
    expect(costUsd('my-local-llama', { inputTokens: 10, outputTokens: 10 }, DEFAULT_PRICES)).toBeNull()
  })

  it('matches dated snapshots and vendor-prefixed ids to the longest entry', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4o-mini'] ?? null)
    expect(priceFor('claude-sonnet-4-5-20250929', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['claude-sonnet-4-5'] ?? null)
    expect(priceFor('openai/gpt-4.1', DEFAULT_PRICES)).toEqual(DEFAULT_PRICES['gpt-4.1'] ?? null)
  })

  it('merges MODEL_PRICES over the defaults', () => {
    const table = createPriceTable('{"llama3":{"input":0.1,"output":0.2},"gpt-4o":{"input":1,"output":1}}')
    expect(costUsd('llama3', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, table)).toBeCloseTo(0.3, 10)
    expect(table['gpt-4o']).toEqual({ input: 1, output: 1 })
    expect(table['gpt-4.1']).toEqual(DEFAULT_PRICES['gpt-4.1'] as { input: number; output: number })
  })

  it('throws a readable error for malformed MODEL_PRICES', () => {
    expect(() => createPriceTable('{nope')).toThrow(/MODEL_PRICES must be JSON/)
    expect(() => createPriceTable('{"m":{"input":-1,"output":1}}')).toThrow(/MODEL_PRICES: m.input/)
  })
})

describe('pricing: cached input, the simulated provider and unknown models', () => {
  it('prices cached input tokens at the cached rate (they are part of the input tokens)', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 400_000 }
    // 600k at 2.5 + 400k at 1.25 per million.
    expect(costUsd('gpt-4o', usage, DEFAULT_PRICES)).toBe(2)
    expect(costUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 0 }, DEFAULT_PRICES)).toBe(2.5)
    // A price without a cached rate prices cached tokens as input; more cached than input is clamped.
    const table = createPriceTable('{"m":{"input":1,"output":2}}')
    expect(costUsd('m', { inputTokens: 10, outputTokens: 0, cachedInputTokens: 50 }, table)).toBeCloseTo(0.00001, 12)
  })

  it('keeps the simulated provider free unless MODEL_PRICES names it', () => {
    expect(costUsd('simulated', { inputTokens: 5000, outputTokens: 5000 }, DEFAULT_PRICES)).toBe(0)
    const table = createPriceTable('{"simulated":{"input":2,"output":10}}')
    expect(costUsd('simulated', { inputTokens: 1000, outputTokens: 500 }, table)).toBe(0.007)
  })

  it('reports each unknown model once', () => {
    const warned: string[] = []
    const known = unknownPriceReporter(DEFAULT_PRICES, (m) => warned.push(m))
    expect(known('llama-local')).toBe(false)
    expect(known('llama-local')).toBe(false)
    expect(known('gpt-4o')).toBe(true)
    expect(known('other')).toBe(false)
    expect(warned).toEqual(['llama-local', 'other'])
  })
})

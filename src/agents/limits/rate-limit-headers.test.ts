import { describe, expect, it } from 'bun:test'
import { backoffFrom, durationMs, retryAfter } from './rate-limit-headers.ts'

const NOW = Date.parse('2026-12-07T12:00:00Z')
const h = (init: Record<string, string>): Headers => new Headers(init)

describe('retryAfter', () => {
  it('reads seconds, milliseconds and an HTTP date', () => {
    expect(retryAfter(h({ 'retry-after': '2' }), NOW)).toBe(2000)
    expect(retryAfter(h({ 'retry-after-ms': '350', 'retry-after': '9' }), NOW)).toBe(350)
    expect(retryAfter(h({ 'retry-after': 'Mon, 07 Dec 2026 12:00:05 GMT' }), NOW)).toBe(5000)
    expect(retryAfter(h({}), NOW)).toBeNull()
    expect(retryAfter(h({ 'retry-after': 'soon' }), NOW)).toBeNull()
  })
})

describe('durationMs', () => {
  it("reads OpenAI's reset durations", () => {
    expect(durationMs('1s')).toBe(1000)
    expect(durationMs('6m0s')).toBe(360_000)
    expect(durationMs('20ms')).toBe(20)
    expect(durationMs('1h2m3.5s')).toBe(3_723_500)
    expect(durationMs('later')).toBeNull()
  })
})

describe('backoffFrom', () => {
  it('pauses for Retry-After on a 429, and leaves the pause to the caller without one', () => {
    expect(backoffFrom(429, h({ 'retry-after': '2' }), NOW)).toBe(2000)
    expect(backoffFrom(429, h({}), NOW)).toBeNull()
  })

  it('pauses until the reset of a used-up OpenAI or Anthropic budget, even on a success', () => {
    expect(backoffFrom(200, h({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s' }), NOW)).toBe(1500)
    expect(backoffFrom(200, h({ 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '1.5s' }), NOW)).toBeNull()
    const anthropic = h({ 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': '2026-12-07T12:00:30Z' })
    expect(backoffFrom(200, anthropic, NOW)).toBe(30_000)
    expect(backoffFrom(429, anthropic, NOW)).toBe(30_000)
  })

  it('pauses on a 503 or 529 only when it names a time', () => {
    expect(backoffFrom(529, h({ 'retry-after': '1' }), NOW)).toBe(1000)
    expect(backoffFrom(503, h({}), NOW)).toBeNull()
    expect(backoffFrom(500, h({ 'retry-after': '1' }), NOW)).toBeNull()
  })
})

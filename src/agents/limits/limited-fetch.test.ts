import { describe, expect, it } from 'bun:test'
import { limitedFetch } from './limited-fetch.ts'
import { createModelLimits } from './model-limits.ts'

/** A fetch that answers from `statuses` in turn and counts its calls. */
function scripted(...answers: Array<[number, Record<string, string>]>): { fetch: typeof fetch; calls: () => number } {
  let n = 0
  const fake = (async () => {
    const [status, headers] = answers[Math.min(n, answers.length - 1)] as [number, Record<string, string>]
    n++
    return new Response(JSON.stringify({ n }), { status, headers })
  }) as unknown as typeof fetch
  return { fetch: fake, calls: () => n }
}

describe('limitedFetch', () => {
  it('holds the permit until the body is read, then gives it back', async () => {
    const limits = createModelLimits()
    const f = limitedFetch({ limits, key: 'k', concurrency: 1 }, scripted([200, {}]).fetch)
    const response = await f('http://x/')
    expect(limits.inFlight(limits.slot('k'))).toBe(1)
    await response.text()
    expect(limits.inFlight(limits.slot('k'))).toBe(0)
  })

  it('sends a 429 again after the back-off it names, pausing the node meanwhile', async () => {
    const limits = createModelLimits()
    const inner = scripted([429, { 'retry-after-ms': '30' }], [200, {}])
    const f = limitedFetch({ limits, key: 'k', concurrency: 2 }, inner.fetch)
    const response = await f('http://x/', { method: 'POST', body: '{}' })
    expect(response.status).toBe(200)
    expect(inner.calls()).toBe(2)
    expect(limits.pauses(limits.slot('k'))).toBe(1)
  })

  it('answers 429 without a request while the node waits out a pause longer than a call waits', async () => {
    const limits = createModelLimits()
    limits.pause(limits.slot('k'), Date.now() + 10 * 60_000)
    const inner = scripted([200, {}])
    const response = await limitedFetch({ limits, key: 'k', concurrency: 2, maxWaitMs: 60_000 }, inner.fetch)('http://x/')
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(590)
    expect(inner.calls()).toBe(0)
  })

  it('passes a 429 on once its retries are spent', async () => {
    const limits = createModelLimits()
    const inner = scripted([429, { 'retry-after-ms': '1' }])
    const response = await limitedFetch({ limits, key: 'k', concurrency: 2, rateLimitRetries: 2 }, inner.fetch)('http://x/', { body: '{}' })
    expect(response.status).toBe(429)
    expect(inner.calls()).toBe(3)
    await response.text()
    expect(limits.inFlight(limits.slot('k'))).toBe(0)
  })
})

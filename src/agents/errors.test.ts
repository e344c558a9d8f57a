import { describe, expect, it } from 'bun:test'
import { AbortError, AgentOutputError, agentErrorFromJSON, agentErrorToJSON, ProviderError } from './errors.ts'

describe('agent errors across a Worker boundary', () => {
  it('round-trips each typed error through structured-clone-safe JSON', () => {
    const errors = [
      new ProviderError('429', { retryable: true, status: 429, retryAfterMs: 1500 }),
      new AgentOutputError('bad', ['confidence: too big'], '{}'),
      new AbortError('cancelled'),
    ]
    for (const error of errors) {
      const back = agentErrorFromJSON(structuredClone(agentErrorToJSON(error)))
      expect(back.constructor).toBe(error.constructor)
      expect(back.message).toBe(error.message)
    }
    const provider = agentErrorFromJSON(agentErrorToJSON(errors[0])) as ProviderError
    expect([provider.retryable, provider.status, provider.retryAfterMs]).toEqual([true, 429, 1500])
  })

  it('marks an unexpected fault as retryable unknown', () => {
    expect(agentErrorToJSON(new TypeError('boom'))).toMatchObject({ kind: 'unknown', retryable: true, message: 'boom' })
  })
})

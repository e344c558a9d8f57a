/** Issue 14 item 1: retries get jitter, passed in as an argument so the supervisor's core stays pure. */
import { describe, expect, it } from 'bun:test'
import { retryDelay, superviseStep, type SupervisionPolicy, type SupervisorState } from '../../src/orchestration/index.ts'

const policy: SupervisionPolicy = { maxRetries: 3, baseDelayMs: 1000, maxDelayMs: 10_000 }

describe('retry jitter', () => {
  it('draws the delay from the upper half of the exponential backoff', () => {
    expect([0, 0.5, 1].map((r) => retryDelay(policy, 1, r))).toEqual([500, 750, 1000])
    expect([0, 1].map((r) => retryDelay(policy, 3, r))).toEqual([2000, 4000])
    expect([0, 1].map((r) => retryDelay(policy, 9, r))).toEqual([5000, 10_000])
    expect(retryDelay(policy, 2)).toBe(2000)
  })

  it('takes its randomness from the policy, so two failures at once retry apart', () => {
    const state = (sessionId: number): SupervisorState => ({
      sessionId,
      status: 'active',
      tasks: [{ role: 'software_architect', taskId: sessionId * 10, status: 'running', attempt: 1, waitingRetry: false }],
      graph: new Map([['software_architect', []]]),
      awaiting: null,
    })
    const draws = [0.1, 0.9]
    const seeded: SupervisionPolicy = { ...policy, random: () => draws.shift() ?? 1 }
    const failed = { type: 'task_failed', role: 'software_architect', attempt: 1, error: 'worker-crashed', retryable: true } as const
    const delays = [1, 2].map((sid) => superviseStep(state(sid), failed, seeded).commands.find((c) => c.type === 'schedule_retry'))
    expect(delays.map((c) => (c as { delayMs: number }).delayMs)).toEqual([550, 950])
    // Without a source of randomness the core is deterministic: the full backoff.
    const plain = superviseStep(state(3), failed, policy).commands.find((c) => c.type === 'schedule_retry')
    expect(plain).toMatchObject({ delayMs: 1000 })
  })
})

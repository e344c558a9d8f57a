import { describe, expect, it } from 'bun:test'
import { createModelLimits } from './model-limits.ts'

describe('createModelLimits', () => {
  it('gives the same slot for a key on every view of the memory, and different slots to different keys', () => {
    const a = createModelLimits()
    const b = createModelLimits(a.memory)
    expect(b.slot('openai:http://x/v1')).toBe(a.slot('openai:http://x/v1'))
    expect(a.slot('anthropic:https://api.anthropic.com')).not.toBe(a.slot('openai:http://x/v1'))
  })

  it('lets at most `limit` calls hold a permit and wakes a waiter on release', async () => {
    const limits = createModelLimits()
    const slot = limits.slot('k')
    await limits.acquire(slot, 2)
    await limits.acquire(slot, 2)
    let third = false
    const waiting = limits.acquire(slot, 2).then(() => {
      third = true
    })
    await Bun.sleep(20)
    expect(third).toBe(false)
    expect(limits.inFlight(slot)).toBe(2)
    limits.release(slot)
    await waiting
    expect(third).toBe(true)
    expect(limits.inFlight(slot)).toBe(2)
  })

  it('keeps the later of two pauses and counts each one that moved the deadline', () => {
    const limits = createModelLimits()
    const slot = limits.slot('k')
    const now = Date.now()
    limits.pause(slot, now + 5000)
    limits.pause(slot, now + 1000)
    expect(limits.pausedUntil(slot)).toBe(now + 5000)
    expect(limits.pauses(slot)).toBe(1)
  })

  it('rejects a waiter whose signal aborts', async () => {
    const limits = createModelLimits()
    const slot = limits.slot('k')
    limits.pause(slot, Date.now() + 60_000)
    const error = await limits.waitWhilePaused(slot, AbortSignal.timeout(20)).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AbortError' })
  })

  it('rejects a call waiting for a permit when its signal aborts, and leaves the permits as they were', async () => {
    const limits = createModelLimits()
    const slot = limits.slot('k')
    await limits.acquire(slot, 1)
    const error = await limits.acquire(slot, 1, AbortSignal.timeout(20)).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'AbortError' })
    expect(limits.inFlight(slot)).toBe(1)
  })
})

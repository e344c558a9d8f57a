import { describe, expect, it } from 'bun:test'
import { createCommitSlots } from './commit-slots.ts'

describe('commit slots', () => {
  it('grants up to its size at once, then in request order as slots come back', async () => {
    const slots = createCommitSlots(2)
    const a = await slots.acquire()
    const b = await slots.acquire()
    const order: string[] = []
    const c = slots.acquire().then((release) => (order.push('c'), release))
    const d = slots.acquire().then((release) => (order.push('d'), release))
    await Bun.sleep(5)
    expect(order).toEqual([])
    expect(slots.inUse).toBe(2)
    b()
    const releaseC = await c
    expect(order).toEqual(['c'])
    a()
    const releaseD = await d
    expect(order).toEqual(['c', 'd'])
    releaseC()
    releaseD()
    expect(slots.inUse).toBe(0)
  })

  it('counts a slot given back twice once', async () => {
    const slots = createCommitSlots(1)
    const release = await slots.acquire()
    release()
    release()
    expect(slots.inUse).toBe(0)
    const again = await slots.acquire()
    expect(slots.inUse).toBe(1)
    let granted = false
    void slots.acquire().then(() => {
      granted = true
    })
    await Bun.sleep(5)
    expect(granted).toBe(false)
    again()
    await Bun.sleep(0)
    expect(granted).toBe(true)
  })

  it('refuses a size that is not a positive integer', () => {
    expect(() => createCommitSlots(0)).toThrow('positive integer')
    expect(() => createCommitSlots(1.5)).toThrow('positive integer')
  })
})

import { describe, expect, it } from 'bun:test'
import { loadOnce } from './load-once.ts'

describe('loadOnce', () => {
  it('loads on the first call only and shares the result', async () => {
    let loads = 0
    const sdk = loadOnce(async () => ({ n: ++loads }))
    expect(loads).toBe(0)
    const [a, b] = await Promise.all([sdk(), sdk()])
    expect(await sdk()).toBe(a)
    expect(b).toBe(a)
    expect(loads).toBe(1)
  })

  it('forgets a failed load, so the next call tries again', async () => {
    let loads = 0
    const sdk = loadOnce(async () => {
      loads++
      if (loads === 1) throw new Error('not yet')
      return 'ok'
    })
    await expect(sdk()).rejects.toThrow('not yet')
    expect(await sdk()).toBe('ok')
    expect(loads).toBe(2)
  })
})

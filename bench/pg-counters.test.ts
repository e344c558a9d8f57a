import { describe, expect, it } from 'bun:test'
import { lsnBytes } from './pg-counters.ts'

describe('lsnBytes', () => {
  it('reads the high and low words of a WAL position', () => {
    expect(lsnBytes('0/0')).toBe(0n)
    expect(lsnBytes('16/B374D848')).toBe(0x16n * 2n ** 32n + 0xb374d848n)
    expect(lsnBytes('16/B374D848') - lsnBytes('16/B374D000')).toBe(0x848n)
  })

  it('throws on text that is not a WAL position', () => {
    expect(() => lsnBytes('16-B374D848')).toThrow('Not a WAL position')
  })
})

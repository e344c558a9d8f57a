import { describe, expect, it } from 'bun:test'
import { address, parseAddress, partitionOf } from './address.ts'

describe('addresses', () => {
  it('parses kind and key', () => {
    expect(parseAddress('agent/42/backend_developer')).toEqual({ kind: 'agent', key: '42' })
    expect(parseAddress('session/42')).toEqual({ kind: 'session', key: '42' })
  })

  it('rejects addresses without a key or with unsafe characters', () => {
    expect(parseAddress('session')).toBeNull()
    expect(parseAddress('session/')).toBeNull()
    expect(parseAddress('session/4 2')).toBeNull()
    expect(() => address('session', 'a b')).toThrow('Invalid actor address')
  })

  it('puts a session’s actors on one partition', () => {
    const p = partitionOf('session/42', 64)
    expect(partitionOf('agent/42/backend_developer', 64)).toBe(p)
    expect(partitionOf('agent/42/security_specialist', 64)).toBe(p)
  })

  it('spreads sessions over the partitions', () => {
    const used = new Set(Array.from({ length: 1000 }, (_, i) => partitionOf(`session/${i}`, 64)))
    expect(used.size).toBe(64)
  })
})

import { describe, expect, it } from 'bun:test'
import { assignPartitions } from './rendezvous.ts'

function loads(owners: string[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const o of owners) m.set(o, (m.get(o) ?? 0) + 1)
  return m
}

describe('assignPartitions', () => {
  it('gives every partition an owner and every node ⌊P/N⌋ or ⌈P/N⌉ of them', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 64, 70]) {
      const nodes = Array.from({ length: n }, (_, i) => `node-${i}`)
      const owners = assignPartitions(64, nodes)
      expect(owners.filter((o) => o !== undefined)).toHaveLength(64)
      for (const count of loads(owners).values()) {
        expect(count).toBeGreaterThanOrEqual(Math.floor(64 / n))
        expect(count).toBeLessThanOrEqual(Math.ceil(64 / n))
      }
    }
  })

  it('is the same whatever order the nodes are listed in', () => {
    expect(assignPartitions(64, ['c', 'a', 'b'])).toEqual(assignPartitions(64, ['a', 'b', 'c']))
  })

  it('moves few partitions when a node joins', () => {
    const before = assignPartitions(64, ['a', 'b', 'c'])
    const after = assignPartitions(64, ['a', 'b', 'c', 'd'])
    const moved = before.filter((o, p) => after[p] !== o).length
    // The newcomer's fair share is 16; a little churn beyond it is the price of the load bound.
    expect(moved).toBeLessThanOrEqual(32)
    expect(loads(after).get('d')).toBe(16)
  })

  it('returns no owners when no node is live', () => {
    expect(assignPartitions(8, [])).toEqual([])
  })
})

import { stableHash } from '../model/index.ts'

/**
 * Assigns partitions to nodes by rendezvous (highest random weight) hashing with a
 * load bound: a first pass gives each partition to its highest-ranked node holding
 * fewer than ⌊P/N⌋, a second pass places the remainder with a bound of ⌈P/N⌉. So
 * every node gets ⌊P/N⌋ or ⌈P/N⌉ partitions, every node computes the same answer
 * from the same live set, and a node joining or leaving moves few partitions.
 * Returns the owner of each partition.
 */
export function assignPartitions(partitions: number, nodes: readonly string[]): string[] {
  if (nodes.length === 0) return []
  const sorted = [...nodes].sort()
  const floor = Math.floor(partitions / sorted.length)
  const load = new Map<string, number>(sorted.map((n) => [n, 0]))
  const ranked: string[][] = []
  for (let p = 0; p < partitions; p++) {
    ranked[p] = sorted
      .map((n) => ({ n, w: stableHash(`${n}#${p}`) }))
      .sort((a, b) => b.w - a.w || (a.n < b.n ? -1 : 1))
      .map((r) => r.n)
  }
  const out: string[] = []
  for (const cap of [floor, floor + 1]) {
    for (let p = 0; p < partitions; p++) {
      if (out[p] !== undefined) continue
      const pick = (ranked[p] as string[]).find((n) => (load.get(n) ?? 0) < cap)
      if (pick === undefined) continue
      out[p] = pick
      load.set(pick, (load.get(pick) ?? 0) + 1)
    }
  }
  return out
}

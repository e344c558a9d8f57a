/**
 * An actor's address: `kind/key` or `kind/key/rest…`, e.g. `session/42` or
 * `agent/42/backend_developer`. The `key` segment picks the partition, so every
 * actor of a session (`session/42`, `agent/42/…`) lands on the same partition.
 */
export type Address = string

const SEGMENT = /^[A-Za-z0-9_.:-]{1,200}$/

/** The parts of a valid address. */
export interface ParsedAddress {
  kind: string
  key: string
}

/** Parses an address; returns null when it is not `kind/key[/…]` with safe characters. */
export function parseAddress(address: string): ParsedAddress | null {
  if (address.length > 500) return null
  const parts = address.split('/')
  if (parts.length < 2 || !parts.every((p) => SEGMENT.test(p))) return null
  return { kind: parts[0] as string, key: parts[1] as string }
}

/** True when `address` is a valid actor address. */
export function isAddress(address: string): boolean {
  return parseAddress(address) !== null
}

/**
 * Builds an address from its segments; throws on an invalid segment.
 * @example address('agent', 42, 'backend_developer') // 'agent/42/backend_developer'
 */
export function address(kind: string, key: string | number, ...rest: Array<string | number>): Address {
  const out = [kind, String(key), ...rest.map(String)].join('/')
  if (!isAddress(out)) throw new Error(`Invalid actor address: ${out}`)
  return out
}

/** FNV-1a, 32 bits: stable across processes, versions and platforms (unlike Bun.hash). */
export function stableHash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // A final avalanche so nearby keys ("41", "42") spread over partitions.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The partition of an address: a stable hash of its key segment, so a session's actors share one. */
export function partitionOf(addr: Address, partitions: number): number {
  const parsed = parseAddress(addr)
  const key = parsed ? parsed.key : addr
  return stableHash(key) % partitions
}

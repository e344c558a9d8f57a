import { createHash } from 'node:crypto'
import { promptConstants } from './prompt.ts'
import type { AgentRole } from './role-ids.ts'

/** A stored text named by its hash: a row of `snapshot_texts` (written once per distinct text). */
export interface TextRef {
  text_ref: string
}

/** A system prompt as a snapshot stores it: inline text and references to texts every session shares, in order. */
export type PromptPart = string | TextRef

/** A text as `snapshot_texts` holds it. */
export interface SnapshotText {
  hash: string
  body: string
}

const textsCache = new Map<AgentRole, { head: SnapshotText; tail: SnapshotText }>()

function stored(body: string): SnapshotText {
  return { hash: createHash('sha256').update(body).digest('hex'), body }
}

/** The role's constant prompt texts with their hashes (computed once per process). */
export function promptTexts(role: AgentRole): SnapshotText[] {
  let found = textsCache.get(role)
  if (!found) {
    const { head, tail } = promptConstants(role)
    found = { head: stored(head), tail: stored(tail) }
    textsCache.set(role, found)
  }
  return [found.head, found.tail]
}

/**
 * `system` as the parts a snapshot stores: the role's constant head and tail (promptConstants)
 * as references, what lies between them inline. A prompt that does not start and end with
 * them (built by other code) is kept whole. Joining the parts' texts gives `system` back.
 */
export function systemPromptParts(role: AgentRole, system: string): PromptPart[] {
  const [head, tail] = promptTexts(role) as [SnapshotText, SnapshotText]
  if (system.length < head.body.length + tail.body.length || !system.startsWith(head.body) || !system.endsWith(tail.body)) return [system]
  return [{ text_ref: head.hash }, system.slice(head.body.length, system.length - tail.body.length), { text_ref: tail.hash }]
}

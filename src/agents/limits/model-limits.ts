import { abortableSleep } from '../abort.ts'

/**
 * Per-provider call limits shared by every thread of a node: how many calls are open and
 * until when calls are paused (a 429's `Retry-After`). The state lives in one
 * SharedArrayBuffer that the node's main thread creates and hands to its Workers
 * (`startModelLimitsHost` / `joinModelLimits`), so `MODEL_CONCURRENCY` and a back-off hold
 * for the node, not per Worker. Counters change only through Atomics.
 */
export interface ModelLimits {
  /** The shared memory (post it to a thread that should share these limits). */
  readonly memory: SharedArrayBuffer
  /** The slot of a provider key (`openai:https://…`); the same key gives the same slot on every thread. */
  slot(key: string): number
  /** Waits for a free call (at most `limit` open per slot); rejects with AbortError when `signal` aborts. */
  acquire(slot: number, limit: number, signal?: AbortSignal): Promise<void>
  release(slot: number): void
  /** Pauses every call to the slot until `untilMs` (epoch ms); a later pause wins, an earlier one changes nothing. */
  pause(slot: number, untilMs: number): void
  /** Epoch ms until which the slot is paused (0: not paused). */
  pausedUntil(slot: number): number
  /** Waits until the slot is not paused; rejects with AbortError when `signal` aborts. */
  waitWhilePaused(slot: number, signal?: AbortSignal): Promise<void>
  /** Calls open now on the slot. */
  inFlight(slot: number): number
  /** How many pauses the slot has had (each 429 or exhausted budget counts one). */
  pauses(slot: number): number
}

/** Provider keys a node can tell apart (vendors × endpoints); more share slots by hash. */
const SLOTS = 64
/** Int32 fields per slot: key hash, open calls, pauses so far (one spare). */
const FIELDS = 4
const HASH = 0
const OPEN = 1
const PAUSES = 2
/**
 * A waiter looks again this often even without a wake-up: how late an aborted waiter notices,
 * and the most a wake-up lost to a waiter that left costs (it passes its wake-up on).
 */
const POLL_MS = 250

/** Bytes of the shared memory: the Int32 fields, then one BigInt64 pause deadline per slot. */
const BYTES = SLOTS * FIELDS * 4 + SLOTS * 8

function hashKey(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  // 0 marks a free slot.
  return h === 0 ? 1 : h
}

type WaitAsync = (typedArray: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: Promise<string> | string }

/** Wraps `memory` (new shared memory when absent) as ModelLimits. */
export function createModelLimits(memory: SharedArrayBuffer = new SharedArrayBuffer(BYTES)): ModelLimits {
  if (memory.byteLength < BYTES) throw new Error(`model limits memory needs ${BYTES} bytes`)
  const ints = new Int32Array(memory, 0, SLOTS * FIELDS)
  const until = new BigInt64Array(memory, SLOTS * FIELDS * 4, SLOTS)
  const slots = new Map<string, number>()
  const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync

  const waitChange = async (index: number, seen: number, signal?: AbortSignal): Promise<void> => {
    if (waitAsync) {
      const result = waitAsync(ints, index, seen, POLL_MS)
      if (result.async) await result.value
    } else await abortableSleep(POLL_MS, signal ?? new AbortController().signal)
  }

  return {
    memory,
    slot(key) {
      const known = slots.get(key)
      if (known !== undefined) return known
      const h = hashKey(key)
      for (let i = 0; i < SLOTS; i++) {
        const s = ((h >>> 0) + i) % SLOTS
        const current = Atomics.compareExchange(ints, s * FIELDS + HASH, 0, h)
        if (current === 0 || current === h) {
          slots.set(key, s)
          return s
        }
      }
      // Every slot taken by other keys: share one by hash (limits then hold for both together).
      const s = (h >>> 0) % SLOTS
      slots.set(key, s)
      return s
    },
    async acquire(slot, limit, signal) {
      const index = slot * FIELDS + OPEN
      for (;;) {
        if (signal?.aborted) {
          // This waiter may hold the wake-up of a permit it will not take: pass it on.
          Atomics.notify(ints, index, 1)
          await abortableSleep(0, signal)
        }
        const open = Atomics.load(ints, index)
        if (open < limit) {
          if (Atomics.compareExchange(ints, index, open, open + 1) === open) return
          continue
        }
        await waitChange(index, open, signal)
      }
    },
    release(slot) {
      const index = slot * FIELDS + OPEN
      Atomics.sub(ints, index, 1)
      Atomics.notify(ints, index, 1)
    },
    pause(slot, untilMs) {
      const target = BigInt(Math.ceil(untilMs))
      for (;;) {
        const current = Atomics.load(until, slot)
        if (current >= target) return
        if (Atomics.compareExchange(until, slot, current, target) === current) break
      }
      Atomics.add(ints, slot * FIELDS + PAUSES, 1)
    },
    pausedUntil(slot) {
      const value = Number(Atomics.load(until, slot))
      return value > Date.now() ? value : 0
    },
    async waitWhilePaused(slot, signal) {
      for (let left = Number(Atomics.load(until, slot)) - Date.now(); left > 0; left = Number(Atomics.load(until, slot)) - Date.now()) {
        await abortableSleep(left, signal ?? new AbortController().signal)
      }
    },
    inFlight: (slot) => Atomics.load(ints, slot * FIELDS + OPEN),
    pauses: (slot) => Atomics.load(ints, slot * FIELDS + PAUSES),
  }
}

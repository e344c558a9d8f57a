/**
 * A node's commit slots: at most `size` partition batches are being committed at once,
 * and a partition takes its batch from its queue only once it holds a slot. Partitions
 * that wait meanwhile keep queueing, so under load each commit carries more messages
 * (fewer transactions, fence checks and WAL flushes per message); when the node is
 * quiet, a slot is free at once and nothing waits. Slots are granted in request order.
 */
export interface CommitSlots {
  /** Resolves with the function that gives the slot back (call it exactly once). */
  acquire(): Promise<() => void>
  /** Slots in use (metrics, tests). */
  readonly inUse: number
}

export function createCommitSlots(size: number): CommitSlots {
  if (!Number.isInteger(size) || size < 1) throw new Error(`commit slots must be a positive integer, got ${size}`)
  let inUse = 0
  const waiting: Array<() => void> = []
  const release = (): void => {
    const next = waiting.shift()
    if (next) next() // the slot passes straight to the next in line
    else inUse--
  }
  const releaser = (): (() => void) => {
    let released = false
    return () => {
      if (released) return
      released = true
      release()
    }
  }
  return {
    acquire() {
      if (inUse < size) {
        inUse++
        return Promise.resolve(releaser())
      }
      return new Promise((resolve) => waiting.push(() => resolve(releaser())))
    },
    get inUse() {
      return inUse
    },
  }
}

import type { Logger } from '../../log/index.ts'
import type { MailboxTransport } from '../transport/index.ts'

/** How long acknowledgements wait to be sent together. */
const ACK_DELAY_MS = 20

/** Acknowledgements past this many go out at once. */
const ACK_FLUSH_AT = 512

/** The node's one batch of acknowledgements, shared by its partitions. */
export interface AckBatch {
  /** Queues `partition`'s handled entries; they go out with every partition's within a few milliseconds. */
  add(partition: number, entryIds: string[]): void
  /** Sends what is queued now (all partitions, or only `partition`'s); never throws (a lost ack only means a redelivery). */
  flush(partition?: number): Promise<void>
}

/**
 * Creates the node's ack batch: acknowledgements are off the critical path (a lost or late
 * ack only means a redelivery, which the inbox skips), so they wait a few milliseconds and
 * every partition's go out in the same tick (one socket write on Redis).
 */
export function createAckBatch(transport: MailboxTransport, log: Logger): AckBatch {
  const pending = new Map<number, string[]>()
  let count = 0
  let timer: ReturnType<typeof setTimeout> | null = null

  const send = async (partition: number, ids: string[]): Promise<void> => {
    try {
      await transport.ack(partition, ids)
    } catch (error) {
      log.warn('ack failed', { partition, error: String(error) })
    }
  }

  const flush = async (partition?: number): Promise<void> => {
    if (partition !== undefined) {
      const ids = pending.get(partition)
      if (!ids) return
      pending.delete(partition)
      count -= ids.length
      await send(partition, ids)
      return
    }
    if (timer !== null) clearTimeout(timer)
    timer = null
    const batch = [...pending]
    pending.clear()
    count = 0
    await Promise.all(batch.map(([p, ids]) => send(p, ids)))
  }

  return {
    add(partition, entryIds) {
      if (entryIds.length === 0) return
      const list = pending.get(partition)
      if (list) list.push(...entryIds)
      else pending.set(partition, [...entryIds])
      count += entryIds.length
      if (count >= ACK_FLUSH_AT) void flush()
      else timer ??= setTimeout(() => void flush(), ACK_DELAY_MS)
    },
    flush,
  }
}

import type { DeadLetterEntry, Delivery, MailboxEntry, MailboxSink, MailboxStats, MailboxTransport } from './transport.ts'

interface Mailbox {
  opened: boolean
  unread: Delivery[]
  /** Delivered, not acknowledged, in entry order. */
  pending: Map<string, { delivery: Delivery; deliveredAt: number }>
  deadLetters: DeadLetterEntry[]
}

/** The in-process transport, with its dead letters readable for inspection. */
export interface InProcessTransport extends MailboxTransport {
  readonly name: 'in-process'
  deadLetters(partition: number): DeadLetterEntry[]
}

/**
 * Mailboxes in this process's memory: the embedded default (one node). Messages are
 * still durable, because the runtime's outbox in PostgreSQL/PGlite keeps every
 * message until it is handled and the reconciler re-appends what memory lost.
 * @example const transport = createInProcessTransport()
 */
export function createInProcessTransport(): InProcessTransport {
  const boxes = new Map<number, Mailbox>()
  const replyListeners = new Map<string, Set<(body: string) => void>>()
  let sink: MailboxSink | null = null
  let seq = 0
  let stopped = false

  const box = (partition: number): Mailbox => {
    let b = boxes.get(partition)
    if (!b) {
      b = { opened: false, unread: [], pending: new Map(), deadLetters: [] }
      boxes.set(partition, b)
    }
    return b
  }

  const flush = (partition: number): void => {
    const b = box(partition)
    if (!sink || !b.opened || b.unread.length === 0 || stopped) return
    const out = b.unread.splice(0, b.unread.length)
    const now = Date.now()
    for (const d of out) b.pending.set(d.entryId as string, { delivery: d, deliveredAt: now })
    sink.deliver(partition, out)
  }

  return {
    name: 'in-process',
    async append(partition, entries: MailboxEntry[]) {
      const b = box(partition)
      for (const e of entries) b.unread.push({ entryId: `${Date.now()}-${++seq}`, messageId: e.messageId, body: e.body })
      // Hand off on a later tick: the appender's commit bookkeeping finishes first, as with Redis.
      queueMicrotask(() => flush(partition))
    },
    async open(partition) {
      const b = box(partition)
      b.opened = true
      const replay = [...b.pending.values()].map((p) => p.delivery)
      queueMicrotask(() => flush(partition))
      return replay
    },
    async close(partition) {
      box(partition).opened = false
    },
    start(s) {
      sink = s
      for (const p of boxes.keys()) flush(p)
    },
    async ack(partition, entryIds) {
      const b = box(partition)
      for (const id of entryIds) b.pending.delete(id)
    },
    async deadLetter(partition, letters) {
      box(partition).deadLetters.push(...letters)
    },
    async present(partition) {
      const b = box(partition)
      const ids = new Set<string>()
      for (const d of b.unread) if (d.messageId) ids.add(d.messageId)
      for (const { delivery } of b.pending.values()) if (delivery.messageId) ids.add(delivery.messageId)
      return ids
    },
    async reclaim(partition, minIdleMs) {
      const b = box(partition)
      const now = Date.now()
      const out: Delivery[] = []
      for (const p of b.pending.values()) {
        if (now - p.deliveredAt >= minIdleMs) {
          p.deliveredAt = now
          out.push(p.delivery)
        }
      }
      return out
    },
    async trim() {
      // Acknowledged entries are dropped at once: nothing to trim.
      return 0
    },
    async stats(partition): Promise<MailboxStats> {
      const b = box(partition)
      return { unread: b.unread.length, pending: b.pending.size }
    },
    async publishReply(nodeId, body) {
      for (const listener of replyListeners.get(nodeId) ?? []) listener(body)
    },
    async onReply(nodeId, listener) {
      let set = replyListeners.get(nodeId)
      if (!set) {
        set = new Set()
        replyListeners.set(nodeId, set)
      }
      set.add(listener)
      return async () => {
        set.delete(listener)
      }
    },
    async stop() {
      stopped = true
      sink = null
    },
    deadLetters(partition) {
      return [...box(partition).deadLetters]
    },
  }
}

import type { Logger } from '../../log/index.ts'
import type { Redis } from '../../redis/index.ts'
import type { Delivery, MailboxEntry, MailboxSink, MailboxStats, MailboxTransport } from './transport.ts'

/** The consumer group every node reads partition streams with. */
export const CONSUMER_GROUP = 'sage'

/** The mailbox stream of a partition; the hash tag keeps a partition's keys on one cluster slot. */
export function mailboxKey(prefix: string, partition: number): string {
  return `${prefix}{p${partition}}:mbx`
}

/** The dead-letter stream of a partition. */
export function deadLetterKey(prefix: string, partition: number): string {
  return `${prefix}{p${partition}}:dlq`
}

/** Options of {@link createRedisStreamsTransport}. */
export interface RedisStreamsOptions {
  /** A connected client for ordinary commands; the transport duplicates it for its blocking reader and pub/sub. */
  redis: Redis
  /** Key prefix (`REDIS_PREFIX`). */
  prefix: string
  /** This node's consumer name in the group. */
  consumer: string
  log: Logger
  /** Entries per partition per read. */
  readCount?: number
  /** How long one XREADGROUP blocks. */
  blockMs?: number
}

interface StreamMessage {
  id: string
  message: Record<string, string>
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function toDelivery(m: StreamMessage): Delivery {
  return { entryId: m.id, messageId: m.message.m ?? null, body: m.message.e ?? '' }
}

/** The id just after `id` (`1-2` → `1-3`): a MINID that keeps everything after it. */
function nextId(id: string): string {
  const [ms, seq] = id.split('-')
  return `${ms}-${BigInt(seq ?? '0') + 1n}`
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Mailboxes as Redis Streams: one stream per partition (`{p<N>}:mbx`), read through the
 * consumer group `sage` by the partition's owner. One blocking XREADGROUP per node covers
 * all its partitions on a dedicated connection; acknowledgements come batched from the
 * node's ack batch (partition/ack-batch.ts), every partition's in one tick. Takeover claims pending entries
 * (XAUTOCLAIM, min idle 0: the lease fences). Streams are trimmed with MINID below the
 * oldest unacknowledged entry, never by length.
 * @example
 * const transport = createRedisStreamsTransport({ redis, prefix: 'sage:', consumer: nodeId, log })
 */
export function createRedisStreamsTransport(options: RedisStreamsOptions): MailboxTransport {
  const { redis, prefix, consumer, log } = options
  const readCount = options.readCount ?? 256
  const blockMs = options.blockMs ?? 200
  const opened = new Set<number>()
  const groupsMade = new Set<number>()
  const subscribers = new Map<string, { client: Redis; listeners: Set<(body: string) => void> }>()
  let reader: Redis | null = null
  let readerId: string | null = null
  let blocked = false
  /** The read in flight: which partitions it covers and when its entries have been handed over. */
  let inFlight: { parts: Set<number>; done: Promise<void> } | null = null
  let stopped = false
  let loop: Promise<void> | null = null
  let idleWake: (() => void) | null = null

  const key = (p: number): string => mailboxKey(prefix, p)

  const ensureGroup = async (p: number, force = false): Promise<void> => {
    if (groupsMade.has(p) && !force) return
    try {
      await redis.xGroupCreate(key(p), CONSUMER_GROUP, '0', { MKSTREAM: true })
    } catch (error) {
      if (!errorText(error).includes('BUSYGROUP')) throw error
    }
    groupsMade.add(p)
  }

  const wakeReader = (): void => {
    idleWake?.()
    if (blocked && readerId !== null) {
      redis.sendCommand(['CLIENT', 'UNBLOCK', readerId]).catch(() => undefined)
    }
  }

  const readLoop = async (sink: MailboxSink, client: Redis): Promise<void> => {
    while (!stopped) {
      const parts = [...opened].filter((p) => sink.capacity(p) > 0)
      if (parts.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, blockMs)
          idleWake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        idleWake = null
        continue
      }
      let reply: Array<{ name: string; messages: StreamMessage[] }> | null
      let finished: () => void = () => {}
      inFlight = { parts: new Set(parts), done: new Promise<void>((r) => (finished = r)) }
      try {
        if (readerId === null) readerId = String(await client.sendCommand(['CLIENT', 'ID']))
        blocked = true
        reply = (await client.xReadGroup(
          CONSUMER_GROUP,
          consumer,
          parts.map((p) => ({ key: key(p), id: '>' })),
          { COUNT: readCount, BLOCK: blockMs },
        )) as unknown as Array<{ name: string; messages: StreamMessage[] }> | null
      } catch (error) {
        blocked = false
        readerId = null
        inFlight = null
        finished()
        if (stopped) break
        const text = errorText(error)
        if (text.includes('NOGROUP')) {
          // Redis lost the stream or its group (a restart without the data): make them again.
          for (const p of opened) await ensureGroup(p, true).catch(() => undefined)
        } else {
          log.warn('mailbox read failed', { error: text })
          await sleep(200)
        }
        continue
      }
      blocked = false
      for (const stream of reply ?? []) {
        const match = /\{p(\d+)\}:mbx$/.exec(String(stream.name))
        if (!match) continue
        const deliveries = stream.messages.filter((m) => m !== null).map(toDelivery)
        if (deliveries.length > 0) sink.deliver(Number(match[1]), deliveries)
      }
      inFlight = null
      finished()
      // The processors just handed entries start their handlers (in microtasks, when a pool
      // connection is free) before the next read is built and sent: off their critical path.
      if (reply) await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  /** The first id not yet acknowledged: the oldest pending entry, or the first never delivered. */
  const firstUnacked = async (p: number): Promise<string | null> => {
    let groups: Array<{ name: string; 'last-delivered-id': string; pending: number }>
    try {
      groups = (await redis.xInfoGroups(key(p))) as unknown as typeof groups
    } catch (error) {
      if (errorText(error).includes('no such key')) return null
      throw error
    }
    const group = groups.find((g) => String(g.name) === CONSUMER_GROUP)
    if (!group) return null
    if (Number(group.pending) > 0) {
      const summary = await redis.xPending(key(p), CONSUMER_GROUP)
      if (summary.firstId) return String(summary.firstId)
    }
    return nextId(String(group['last-delivered-id']))
  }

  return {
    name: 'redis',
    async append(p, entries: MailboxEntry[]) {
      await Promise.all(entries.map((e) => redis.xAdd(key(p), '*', { m: e.messageId, e: e.body })))
    },
    async open(p) {
      await ensureGroup(p, true)
      const claimed: Delivery[] = []
      let cursor = '0-0'
      do {
        const res = await redis.xAutoClaim(key(p), CONSUMER_GROUP, consumer, 0, cursor, { COUNT: 1000 })
        for (const m of res.messages) if (m) claimed.push(toDelivery(m as unknown as StreamMessage))
        cursor = String(res.nextId)
      } while (cursor !== '0-0')
      opened.add(p)
      wakeReader()
      return claimed
    },
    async close(p) {
      opened.delete(p)
      // A read issued before this may still return entries of p: let it finish and hand
      // them over now, so the draining owner handles them rather than stranding them pending.
      const read = inFlight
      if (read?.parts.has(p)) {
        wakeReader()
        await read.done
      }
    },
    start(sink) {
      if (loop) return
      const client = redis.duplicate() as Redis
      client.on('error', (error: Error) => log.debug('mailbox reader connection error', { error: error.message }))
      reader = client
      loop = client.connect().then(
        () => readLoop(sink, client),
        (error: unknown) => log.error('mailbox reader could not connect', { error: errorText(error) }),
      )
    },
    async ack(p, entryIds) {
      if (entryIds.length === 0) return
      await redis.xAck(key(p), CONSUMER_GROUP, entryIds)
    },
    async deadLetter(p, letters) {
      const at = String(Date.now())
      await Promise.all(
        letters.map((l) =>
          redis.xAdd(deadLetterKey(prefix, p), '*', {
            m: l.messageId ?? '',
            e: l.body,
            reason: l.reason,
            attempts: String(l.attempts),
            node: l.nodeId,
            at,
          }),
        ),
      )
    },
    async present(p) {
      const ids = new Set<string>()
      let start = await firstUnacked(p)
      if (start === null) return ids
      for (;;) {
        const page = (await redis.xRange(key(p), start, '+', { COUNT: 1000 })) as unknown as StreamMessage[]
        for (const m of page) if (m.message.m) ids.add(m.message.m)
        if (page.length < 1000) return ids
        start = nextId((page[page.length - 1] as StreamMessage).id)
      }
    },
    async reclaim(p, minIdleMs) {
      const res = await redis.xAutoClaim(key(p), CONSUMER_GROUP, consumer, minIdleMs, '0-0', { COUNT: 1000 })
      return res.messages.filter((m) => m !== null).map((m) => toDelivery(m as unknown as StreamMessage))
    },
    async trim(p) {
      const minId = await firstUnacked(p)
      if (minId === null) return 0
      return Number(await redis.xTrim(key(p), 'MINID', minId))
    },
    async stats(p): Promise<MailboxStats> {
      try {
        const groups = (await redis.xInfoGroups(key(p))) as unknown as Array<{ name: string; pending: number; lag: number | null }>
        const g = groups.find((x) => String(x.name) === CONSUMER_GROUP)
        return { unread: Number(g?.lag ?? 0), pending: Number(g?.pending ?? 0) }
      } catch {
        return { unread: 0, pending: 0 }
      }
    },
    async publishReply(nodeId, body) {
      await redis.publish(`${prefix}replies:${nodeId}`, body)
    },
    async onReply(nodeId, listener) {
      const channel = `${prefix}replies:${nodeId}`
      let sub = subscribers.get(channel)
      if (!sub) {
        const client = redis.duplicate() as Redis
        client.on('error', (error: Error) => log.debug('reply subscriber connection error', { error: error.message }))
        await client.connect()
        const listeners = new Set<(body: string) => void>()
        await client.subscribe(channel, (body: string) => {
          for (const l of listeners) l(body)
        })
        sub = { client, listeners }
        subscribers.set(channel, sub)
      }
      const entry = sub
      entry.listeners.add(listener)
      return async () => {
        entry.listeners.delete(listener)
        if (entry.listeners.size > 0) return
        subscribers.delete(channel)
        entry.client.destroy()
      }
    },
    async stop() {
      if (stopped) return
      stopped = true
      idleWake?.()
      // close() would wait behind the blocking XREADGROUP; destroy() drops it at once.
      reader?.destroy()
      await loop?.catch(() => undefined)
      for (const { client } of subscribers.values()) client.destroy()
      subscribers.clear()
    },
  }
}

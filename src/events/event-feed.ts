import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import type { Logger } from '../log/index.ts'
import type { EventBus } from './event-bus.ts'
import { lastEventSeq, readEvents } from './event-log.ts'
import type { SessionEvent } from './session-event.ts'

export interface EventFeedDeps {
  db: Kysely<Database>
  bus: EventBus
  log: Logger
  /** How often a watched session's log is checked for events whose announcement was lost. */
  pollMs?: number
  /** A follower further behind than this is dropped; its client reconnects with Last-Event-ID. */
  maxQueue?: number
}

/** Live session events for the streams of one web process. */
export interface EventFeed {
  /**
   * A session's events after `afterSeq`, oldest first, with no gap and no repeat, from
   * the log and then live, until `signal` aborts (or the follower falls too far behind).
   */
  follow(sessionId: number, afterSeq: number, signal: AbortSignal): AsyncGenerator<SessionEvent>
  /** Sessions with an upstream subscription in this process. */
  watchedSessions(): number
  close(): Promise<void>
}

const PAGE = 500

interface Follower {
  queue: SessionEvent[]
  wake: (() => void) | null
  overflowed: boolean
}

interface Channel {
  followers: Set<Follower>
  lastSeq: number
  work: Promise<void>
  timer: Timer
  unsubscribe: () => Promise<void>
}

/**
 * Fans events out to every stream of this process with ONE bus subscription and one
 * poller per watched session, however many browsers watch it. Announcements can be
 * lost or reordered; the log is the truth, so gaps are filled from it.
 */
export function createEventFeed(deps: EventFeedDeps): EventFeed {
  const pollMs = deps.pollMs ?? 2000
  const maxQueue = deps.maxQueue ?? 5000
  const channels = new Map<number, Promise<Channel>>()

  const deliver = (channel: Channel, event: SessionEvent): void => {
    channel.lastSeq = Number(event.id)
    for (const f of channel.followers) {
      if (f.queue.length >= maxQueue) f.overflowed = true
      else f.queue.push(event)
      f.wake?.()
    }
  }

  const catchUp = async (sessionId: number, channel: Channel): Promise<void> => {
    for (;;) {
      const page = await readEvents(deps.db, sessionId, channel.lastSeq, PAGE)
      for (const event of page) deliver(channel, event)
      if (page.length < PAGE) return
    }
  }

  // Work on a channel runs one step at a time, so deliveries keep their order.
  const enqueue = (sessionId: number, channel: Channel, step: () => Promise<void>): void => {
    channel.work = channel.work.then(step).catch((error: unknown) => deps.log.warn('event feed step failed', { session_id: sessionId, error }))
  }

  const open = async (sessionId: number): Promise<Channel> => {
    const channel: Channel = {
      followers: new Set(),
      lastSeq: 0,
      work: Promise.resolve(),
      timer: setInterval(() => {
        enqueue(sessionId, channel, async () => {
          if ((await lastEventSeq(deps.db, sessionId)) > channel.lastSeq) await catchUp(sessionId, channel)
        })
      }, pollMs),
      unsubscribe: async () => {},
    }
    // Listen first, then read where the log stands: nothing falls between the two.
    channel.unsubscribe = await deps.bus.subscribe(sessionId, (event) => {
      enqueue(sessionId, channel, async () => {
        const seq = Number(event.id)
        if (seq <= channel.lastSeq) return
        if (seq === channel.lastSeq + 1) deliver(channel, event)
        else await catchUp(sessionId, channel)
      })
    })
    channel.lastSeq = await lastEventSeq(deps.db, sessionId)
    return channel
  }

  const release = async (sessionId: number, channel: Channel, follower: Follower): Promise<void> => {
    channel.followers.delete(follower)
    if (channel.followers.size > 0) return
    channels.delete(sessionId)
    clearInterval(channel.timer)
    await channel.unsubscribe()
  }

  return {
    async *follow(sessionId, afterSeq, signal) {
      let pending = channels.get(sessionId)
      if (!pending) {
        pending = open(sessionId)
        channels.set(sessionId, pending)
        pending.catch(() => channels.delete(sessionId))
      }
      const channel = await pending
      const follower: Follower = { queue: [], wake: null, overflowed: false }
      channel.followers.add(follower)
      const onAbort = (): void => follower.wake?.()
      signal.addEventListener('abort', onAbort)
      let delivered = afterSeq
      // Events from the log up to `upTo` (exclusive), after what this follower has seen.
      async function* fromLog(upTo: number): AsyncGenerator<SessionEvent> {
        for (;;) {
          const page = await readEvents(deps.db, sessionId, delivered, PAGE)
          for (const event of page) {
            if (Number(event.id) >= upTo) return
            delivered = Number(event.id)
            yield event
          }
          if (page.length < PAGE) return
        }
      }
      try {
        yield* fromLog(Number.POSITIVE_INFINITY)
        while (!signal.aborted && !follower.overflowed) {
          const event = follower.queue.shift()
          if (!event) {
            await new Promise<void>((resolve) => {
              follower.wake = resolve
            })
            follower.wake = null
            continue
          }
          const seq = Number(event.id)
          if (seq <= delivered) continue
          if (seq > delivered + 1) yield* fromLog(seq)
          delivered = seq
          yield event
        }
      } finally {
        signal.removeEventListener('abort', onAbort)
        await release(sessionId, channel, follower)
      }
    },
    watchedSessions: () => channels.size,
    async close() {
      for (const [, pending] of channels) {
        const channel = await pending.catch(() => null)
        if (!channel) continue
        clearInterval(channel.timer)
        await channel.unsubscribe()
      }
      channels.clear()
    },
  }
}

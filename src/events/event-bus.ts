import { z } from 'zod'
import type { Logger } from '../log/index.ts'
import type { Redis } from '../redis/index.ts'
import { type SessionEvent, SessionEventSchema } from './session-event.ts'

export type EventListener = (event: SessionEvent) => void

/**
 * Announces committed session events to every process. An announcement is a hint, not
 * the record: readers recover anything missed from the event log, so `publish` never
 * throws and a lost message costs latency, not data.
 */
export interface EventBus {
  publish(events: SessionEvent[]): Promise<void>
  /** Listens to one session's announcements from now on; resolves once listening. Returns the unsubscribe. */
  subscribe(sessionId: number, listener: EventListener): Promise<() => Promise<void>>
  close(): Promise<void>
}

/** The embedded default: announcements stay inside this process. */
export function createInProcessEventBus(): EventBus {
  const listeners = new Map<number, Set<EventListener>>()
  return {
    async publish(events) {
      for (const event of events) for (const l of listeners.get(event.session_id) ?? []) l(event)
    },
    async subscribe(sessionId, listener) {
      const set = listeners.get(sessionId) ?? new Set()
      set.add(listener)
      listeners.set(sessionId, set)
      return async () => {
        set.delete(listener)
        if (set.size === 0) listeners.delete(sessionId)
      }
    },
    async close() {
      listeners.clear()
    },
  }
}

/**
 * Redis pub/sub: one channel per session (`<prefix>ev:<id>`) and one subscriber
 * connection per process, however many local listeners a session has.
 */
export async function createRedisEventBus(redis: Redis, prefix: string, log: Logger): Promise<EventBus> {
  const subscriber = redis.duplicate()
  subscriber.on('error', (error: Error) => log.warn('event subscriber error', { error: error.message }))
  await subscriber.connect()
  const listeners = new Map<number, Set<EventListener>>()
  const channel = (sessionId: number): string => `${prefix}ev:${sessionId}`

  // One announcement carries a commit's events for one session, in order (a single event is read too).
  const Announcement = z.union([SessionEventSchema, z.array(SessionEventSchema).min(1)])
  const onMessage = (message: string): void => {
    let events: SessionEvent[]
    try {
      const parsed = Announcement.parse(JSON.parse(message))
      events = Array.isArray(parsed) ? parsed : [parsed]
    } catch {
      log.warn('ignored a malformed event announcement')
      return
    }
    for (const event of events) for (const l of listeners.get(event.session_id) ?? []) l(event)
  }

  return {
    async publish(events) {
      if (events.length === 0 || !redis.isReady) return
      try {
        const bySession = new Map<number, SessionEvent[]>()
        for (const event of events) {
          const mine = bySession.get(event.session_id)
          if (mine) mine.push(event)
          else bySession.set(event.session_id, [event])
        }
        if (bySession.size === 1) await redis.publish(channel(events[0]?.session_id as number), JSON.stringify(events))
        else {
          const multi = redis.multi()
          for (const [sessionId, mine] of bySession) multi.publish(channel(sessionId), JSON.stringify(mine))
          await multi.exec()
        }
      } catch (error) {
        log.warn('event announcement failed; readers will catch up from the log', { error })
      }
    },
    async subscribe(sessionId, listener) {
      let set = listeners.get(sessionId)
      if (!set) {
        set = new Set()
        listeners.set(sessionId, set)
        await subscriber.subscribe(channel(sessionId), onMessage)
      }
      set.add(listener)
      const own = set
      return async () => {
        own.delete(listener)
        if (own.size === 0 && listeners.get(sessionId) === own) {
          listeners.delete(sessionId)
          if (subscriber.isOpen) await subscriber.unsubscribe(channel(sessionId)).catch(() => {})
        }
      }
    },
    async close() {
      listeners.clear()
      if (subscriber.isOpen) subscriber.destroy()
    },
  }
}

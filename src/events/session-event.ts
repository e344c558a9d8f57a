import { z } from 'zod'
import { EVENT_DATA, EVENT_TYPES, type EventData, type EventType } from './event-data.ts'

/** One event type as API.md gives it: `id` is the session's event number as a string, usable as an SSE id. */
export type SessionEventOf<T extends EventType> = {
  id: string
  session_id: number
  type: T
  at: string
  data: EventData<T>
}

/** A session event: the discriminated union over `type`, each with its own `data`. */
export type SessionEvent = { [T in EventType]: SessionEventOf<T> }[EventType]

/** An event to append, of one type; the log assigns its id and time. */
export type NewSessionEventOf<T extends EventType> = { type: T; data: EventData<T> }

/** An event to append; the log assigns its id and time. */
export type NewSessionEvent = { [T in EventType]: NewSessionEventOf<T> }[EventType]

/** A handler per event type: a missing one is a type error. */
export type EventHandlers<R> = { [T in EventType]: (event: SessionEventOf<T>) => R }

function unionOf(mode: 'read' | 'write') {
  const members = EVENT_TYPES.map((type) => {
    const data = EVENT_DATA[type]
    return z.object({
      id: z.string().regex(/^\d+$/),
      session_id: z.number().int().positive(),
      type: z.literal(type),
      at: z.string(),
      // Read: unknown keys pass (a newer writer may add some); write: they are an error.
      data: mode === 'read' ? data.loose() : data.strict(),
    })
  })
  type Member = (typeof members)[number]
  return z.discriminatedUnion('type', members as [Member, ...Member[]]) as unknown as z.ZodType<SessionEvent>
}

/** A stored or announced event (the read path: unknown data keys pass, newer optional fields may be missing). */
export const SessionEventSchema: z.ZodType<SessionEvent> = unionOf('read')

/** The data schemas of the write path: exactly the fields the type defines. */
const STRICT_DATA = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_DATA[type].strict()])) as unknown as {
  [T in EventType]: z.ZodType<EventData<T>>
}
const LOOSE_DATA = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_DATA[type].loose()])) as unknown as {
  [T in EventType]: z.ZodType<EventData<T>>
}

/** An event to append, checked against its type's schema; throws a ZodError naming the bad field. */
export function checkNewEvent<E extends NewSessionEvent>(event: E): E {
  const schema = STRICT_DATA[event.type] as z.ZodType | undefined
  if (!schema) throw new Error(`Unknown event type: ${String(event.type)}`)
  schema.parse(event.data)
  return event
}

/** True for one of the event types of API.md. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_DATA, type)
}

/**
 * A stored event's type and data as the union, or null when the type is unknown or the data
 * does not fit its schema (a row no writer could have made). Never throws.
 */
export function parseEventData(type: string, data: unknown): NewSessionEvent | null {
  if (!isEventType(type)) return null
  const parsed = (LOOSE_DATA[type] as z.ZodType).safeParse(data ?? {})
  return parsed.success ? ({ type, data: parsed.data } as NewSessionEvent) : null
}

/** The sequence number inside an event id, or null when `id` is not one (a bad `Last-Event-ID`). */
export function eventSeq(id: string | null | undefined): number | null {
  if (!id || !/^\d{1,9}$/.test(id.trim())) return null
  return Number(id.trim())
}

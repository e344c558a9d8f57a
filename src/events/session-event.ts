import { z } from 'zod'

/** The event types of API.md, in the order a session's life produces them. */
export const EVENT_TYPES = [
  'session_started',
  'task_started',
  'task_progress',
  'task_completed',
  'task_failed',
  'task_retrying',
  'decision_added',
  'session_completed',
  'session_failed',
  'session_cancelled',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/** An event as API.md gives it: `id` is the session's event number as a string, usable as an SSE id. */
export interface SessionEvent {
  id: string
  session_id: number
  type: EventType
  at: string
  data: Record<string, unknown>
}

/** An event to append; the log assigns its id and time. */
export interface NewSessionEvent {
  type: EventType
  data: Record<string, unknown>
}

export const SessionEventSchema = z.object({
  id: z.string().regex(/^\d+$/),
  session_id: z.number().int().positive(),
  type: z.enum(EVENT_TYPES),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
})

/** The sequence number inside an event id, or null when `id` is not one (a bad `Last-Event-ID`). */
export function eventSeq(id: string | null | undefined): number | null {
  if (!id || !/^\d{1,9}$/.test(id.trim())) return null
  return Number(id.trim())
}

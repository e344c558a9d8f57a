import { type RawBuilder, sql } from 'kysely'
import { SESSION_END_TYPES } from './event-data.ts'
import { checkNewEvent, type NewSessionEvent } from './session-event.ts'

/** What {@link eventAppendCtes} appends, and what else the session row's update does. */
export interface EventAppend {
  sessionId: number
  events: readonly NewSessionEvent[]
  /** More assignments for the same `update execution_sessions … set` (the session's end). */
  alsoSet?: RawBuilder<unknown>
  /** Appends nothing unless this holds (e.g. `exists (select 1 from claimed)`). */
  onlyIf?: RawBuilder<boolean>
}

/** The columns `appended_events` returns: a `session_events` row. */
export interface AppendedEventRow {
  session_id: number
  seq: number
  type: string
  at: Date
  data: unknown
}

/**
 * The one SQL that numbers and appends a session's events, as two CTEs for the caller's
 * `with` (followed by its own CTEs or final `select`):
 * - `event_counter`: `update execution_sessions set event_seq = event_seq + n` on the
 *   session's row (its lock orders concurrent writers, so numbers commit in order with no gap),
 *   returning `event_seq` and `duration_seconds`;
 * - `appended_events`: the `session_events` rows, numbered from the counter, returning
 *   `session_id, seq, type, at, data` ({@link AppendedEventRow}). A session end event's
 *   `duration_seconds` is the session row's after this update.
 *
 * Nothing is appended when the session does not exist (or `onlyIf` fails). Each event is
 * checked against its type's schema first (throws on a bad one: the write path is strict).
 *
 * @example
 * await sql`with ${eventAppendCtes({ sessionId, events })} select * from appended_events`.execute(trx)
 */
export function eventAppendCtes(append: EventAppend): RawBuilder<unknown> {
  const { sessionId, events } = append
  for (const event of events) checkNewEvent(event)
  const n = events.length
  return sql`event_counter as (
      update execution_sessions set event_seq = event_seq + ${n}${append.alsoSet ? sql`, ${append.alsoSet}` : sql``}
      where id = ${sessionId}${append.onlyIf ? sql` and ${append.onlyIf}` : sql``}
      returning event_seq, duration_seconds
    ),
    appended_events as (
      insert into session_events (session_id, seq, type, data)
      select ${sessionId}, event_counter.event_seq - ${n} + e.n, e.type,
        case when e.type = any(${SESSION_END_TYPES}::text[])
          then e.data::jsonb || jsonb_build_object('duration_seconds', event_counter.duration_seconds)
          else e.data::jsonb end
      from event_counter, unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.data))}::text[])
        with ordinality as e(type, data, n)
      returning session_id, seq, type, at, data
    )`
}

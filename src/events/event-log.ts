import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import { type AppendedEventRow, eventAppendCtes } from './event-append.ts'
import { type NewSessionEvent, parseEventData, type SessionEvent } from './session-event.ts'

/**
 * A `session_events` row as the event API.md describes, its data read with its type's schema;
 * null when the row fits no event type (never throws). `at` may be a Date or the ISO text a
 * JSON aggregate gives.
 */
export function eventFromRow(row: { session_id: number; seq: number; type: string; at: Date | string; data: unknown }): SessionEvent | null {
  const parsed = parseEventData(row.type, row.data)
  if (!parsed) return null
  const at = row.at instanceof Date ? row.at : new Date(row.at)
  return { id: String(row.seq), session_id: row.session_id, at: at.toISOString(), ...parsed } as SessionEvent
}

/** The events of `rows` in number order, leaving out any row that fits no event type. */
export function eventsFromRows(rows: readonly { session_id: number; seq: number; type: string; at: Date | string; data: unknown }[]): SessionEvent[] {
  const events: SessionEvent[] = []
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    const event = eventFromRow(row)
    if (event) events.push(event)
  }
  return events
}

/**
 * Appends events to a session's log inside the caller's transaction and returns them
 * with their ids (numbering: {@link eventAppendCtes}). Publish the returned events only
 * after the transaction commits. Returns [] when the session no longer exists (deleted
 * with its team). Throws before writing when an event's data does not fit its type.
 */
export async function appendEvents(trx: Transaction<Database>, sessionId: number, events: NewSessionEvent[]): Promise<SessionEvent[]> {
  if (events.length === 0) return []
  const { rows } = await sql<AppendedEventRow>`with ${eventAppendCtes({ sessionId, events })}
    select session_id, seq, type, at, data from appended_events`.execute(trx)
  return eventsFromRows(rows)
}

/** A session's events after `afterSeq` (0 for all), oldest first, at most `limit` rows read. */
export async function readEvents(db: Kysely<Database>, sessionId: number, afterSeq: number, limit = 1000): Promise<SessionEvent[]> {
  const rows = await db
    .selectFrom('session_events')
    .select(['session_id', 'seq', 'type', 'at', 'data'])
    .where('session_id', '=', sessionId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return eventsFromRows(rows)
}

/** The number of the session's last event, 0 when it has none. */
export async function lastEventSeq(db: Kysely<Database>, sessionId: number): Promise<number> {
  const row = await db.selectFrom('execution_sessions').select('event_seq').where('id', '=', sessionId).executeTakeFirst()
  return row?.event_seq ?? 0
}

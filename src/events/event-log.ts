import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import type { NewSessionEvent, SessionEvent } from './session-event.ts'

function toEvent(row: { session_id: number; seq: number; type: string; at: Date; data: unknown }): SessionEvent {
  return {
    id: String(row.seq),
    session_id: row.session_id,
    type: row.type as SessionEvent['type'],
    at: row.at.toISOString(),
    data: (row.data ?? {}) as Record<string, unknown>,
  }
}

/**
 * Appends events to a session's log inside the caller's transaction and returns them
 * with their ids. Numbers are taken from `execution_sessions.event_seq` under its row
 * lock, so concurrent writers to one session commit in number order with no gaps.
 * Publish the returned events only after the transaction commits. Returns [] when the
 * session no longer exists (deleted with its team).
 */
export async function appendEvents(
  trx: Transaction<Database>,
  sessionId: number,
  events: NewSessionEvent[],
): Promise<SessionEvent[]> {
  if (events.length === 0) return []
  const counter = await trx
    .updateTable('execution_sessions')
    .set((eb) => ({ event_seq: eb('event_seq', '+', events.length) }))
    .where('id', '=', sessionId)
    .returning('event_seq')
    .executeTakeFirst()
  if (!counter) return []
  const first = counter.event_seq - events.length + 1
  const rows = await trx
    .insertInto('session_events')
    .values(events.map((e, i) => ({ session_id: sessionId, seq: first + i, type: e.type, data: JSON.stringify(e.data) })))
    .returning(['session_id', 'seq', 'type', 'at', 'data'])
    .execute()
  return rows.map(toEvent)
}

/** A session's events after `afterSeq` (0 for all), oldest first, at most `limit`. */
export async function readEvents(
  db: Kysely<Database>,
  sessionId: number,
  afterSeq: number,
  limit = 1000,
): Promise<SessionEvent[]> {
  const rows = await db
    .selectFrom('session_events')
    .select(['session_id', 'seq', 'type', 'at', 'data'])
    .where('session_id', '=', sessionId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute()
  return rows.map(toEvent)
}

/** The number of the session's last event, 0 when it has none. */
export async function lastEventSeq(db: Kysely<Database>, sessionId: number): Promise<number> {
  const row = await db.selectFrom('execution_sessions').select('event_seq').where('id', '=', sessionId).executeTakeFirst()
  return row?.event_seq ?? 0
}

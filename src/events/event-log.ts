import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import type { NewSessionEvent, SessionEvent } from './session-event.ts'

/** A `session_events` row as the event API.md describes (for statements that insert events themselves). */
export function eventFromRow(row: { session_id: number; seq: number; type: string; at: Date; data: unknown }): SessionEvent {
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
  // One statement: the counter's row lock orders concurrent writers, and the numbers are
  // taken and used in the same round trip.
  const { rows } = await sql<{ session_id: number; seq: number; type: string; at: Date; data: unknown }>`
    with counter as (
      update execution_sessions set event_seq = event_seq + ${events.length} where id = ${sessionId} returning event_seq
    )
    insert into session_events (session_id, seq, type, data)
    select ${sessionId}, counter.event_seq - ${events.length} + e.n, e.type, e.data::jsonb
    from counter, unnest(${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.data))}::text[]) with ordinality as e(type, data, n)
    returning session_id, seq, type, at, data`.execute(trx)
  return rows.sort((a, b) => a.seq - b.seq).map(eventFromRow)
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
  return rows.map(eventFromRow)
}

/** The number of the session's last event, 0 when it has none. */
export async function lastEventSeq(db: Kysely<Database>, sessionId: number): Promise<number> {
  const row = await db.selectFrom('execution_sessions').select('event_seq').where('id', '=', sessionId).executeTakeFirst()
  return row?.event_seq ?? 0
}

import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database, SessionStatus } from '../../src/db/index.ts'
import type { EndOutcome, SessionControl } from '../../src/orchestration/index.ts'

async function endSession(db: Kysely<Database>, sessionId: number, status: Extract<SessionStatus, 'completed' | 'cancelled'>): Promise<EndOutcome> {
  return db.transaction().execute(async (trx: Transaction<Database>) => {
    // The status guard makes the transition happen once even when two requests race.
    const ended = await trx
      .updateTable('execution_sessions')
      .set({
        status,
        ended_at: sql<Date>`now()`,
        duration_seconds: sql<number>`greatest(0, round(extract(epoch from now() - coalesce(started_at, created_at))))::int`,
      })
      .where('id', '=', sessionId)
      .where('status', '=', 'active')
      .returning('id')
      .executeTakeFirst()
    if (!ended) {
      const exists = await trx.selectFrom('execution_sessions').select('id').where('id', '=', sessionId).executeTakeFirst()
      return exists ? 'already_ended' : 'not_found'
    }
    await trx
      .updateTable('agent_tasks')
      .set({
        status: 'cancelled',
        completed_at: sql<Date>`now()`,
        duration_seconds: sql<number | null>`case when started_at is null then null else greatest(0, round(extract(epoch from now() - started_at)))::int end`,
      })
      .where('session_id', '=', sessionId)
      .where('status', 'in', ['pending', 'running'])
      .execute()
    return 'ended'
  })
}

/**
 * SessionControl without actors: ending a session is one database transaction that
 * ends it and cancels its unfinished tasks. `sessionCreated` and `decisionAdded` do
 * nothing (no supervisor yet), and verdicts and resumes are `unavailable`. The actor-based implementation replaces it.
 */
export function createDirectSessionControl(db: Kysely<Database>): SessionControl {
  return {
    sessionCreated: async () => null,
    complete: (sessionId) => endSession(db, sessionId, 'completed'),
    cancel: (sessionId) => endSession(db, sessionId, 'cancelled'),
    decisionAdded: async () => null,
    // Verdicts and resumes are the supervisor's to carry out: without one, nobody takes them.
    review: async () => 'unavailable',
    resume: async () => 'unavailable',
    budgetRaised: async () => null,
  }
}

import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'

/** What one sweep removed. */
export interface ExpiredRowsSwept {
  sessions: number
  rateLimits: number
}

/**
 * Deletes login sessions and rate-limit windows of the database backends that have
 * expired by `now` (Redis expires its own keys). Run periodically, once per cluster.
 */
export async function deleteExpiredAuthRows(db: Kysely<Database>, now: Date = new Date()): Promise<ExpiredRowsSwept> {
  const sessions = await db.deleteFrom('auth_sessions').where('expires_at', '<=', now).executeTakeFirst()
  const rateLimits = await db.deleteFrom('rate_limits').where('window_ends_at', '<=', now).executeTakeFirst()
  return { sessions: Number(sessions.numDeletedRows), rateLimits: Number(rateLimits.numDeletedRows) }
}

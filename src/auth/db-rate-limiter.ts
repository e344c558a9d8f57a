import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import type { RateLimiter, RateWindow } from './rate-limiter.ts'

function toWindow(row: { count: number; window_ends_at: Date } | undefined, nowMs: number): RateWindow {
  if (!row || row.window_ends_at.getTime() <= nowMs) return { count: 0, resetsInSeconds: 0 }
  return { count: row.count, resetsInSeconds: Math.ceil((row.window_ends_at.getTime() - nowMs) / 1000) }
}

/**
 * Counters in the `rate_limits` table; one upsert per hit, so concurrent hits on one
 * key are counted exactly. Windows are measured on the database clock.
 */
export function createDatabaseRateLimiter(db: Kysely<Database>): RateLimiter {
  return {
    async hit(key, windowSeconds) {
      const ends = sql<Date>`now() + make_interval(secs => ${windowSeconds})`
      const row = await db
        .insertInto('rate_limits')
        .values({ key, count: 1, window_ends_at: ends })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            // An expired window starts over at 1.
            count: sql`case when rate_limits.window_ends_at <= now() then 1 else rate_limits.count + 1 end`,
            window_ends_at: sql`case when rate_limits.window_ends_at <= now() then excluded.window_ends_at else rate_limits.window_ends_at end`,
          }),
        )
        .returning(['count', 'window_ends_at', sql<Date>`now()`.as('now')])
        .executeTakeFirstOrThrow()
      return toWindow(row, row.now.getTime())
    },
    async peek(key) {
      const row = await db
        .selectFrom('rate_limits')
        .select(['count', 'window_ends_at', sql<Date>`now()`.as('now')])
        .where('key', '=', key)
        .executeTakeFirst()
      return row ? toWindow(row, row.now.getTime()) : { count: 0, resetsInSeconds: 0 }
    },
    async reset(key) {
      await db.deleteFrom('rate_limits').where('key', '=', key).execute()
    },
  }
}

import type { ColumnType } from 'kysely'

/** A login session of the embedded default; `id` is the SHA-256 (hex) of the cookie's secret. */
export interface AuthSessionsTable {
  id: string
  user_id: number
  csrf_token: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: ColumnType<Date, Date | string, Date | string>
}

/** A fixed-window counter of the database rate limiter. */
export interface RateLimitsTable {
  key: string
  count: number
  window_ends_at: ColumnType<Date, Date | string, Date | string>
}

/** Tables of the auth area; added by its migrations. */
export interface AuthTables {
  auth_sessions: AuthSessionsTable
  rate_limits: RateLimitsTable
}

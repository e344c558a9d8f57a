import type { ColumnType, Generated } from 'kysely'

/** A personal API token (migration 0060); `token_hash` is the SHA-256 (hex) of the secret, never the secret. */
export interface ApiTokensTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  created_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

/** Tables of the API-token area. */
export interface ApiTokenTables {
  api_tokens: ApiTokensTable
}

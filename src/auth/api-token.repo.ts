import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import { generateApiTokenSecret, isApiTokenShaped } from './api-token.ts'
import { hashToken, tokensEqual } from './session-token.ts'
import { findUserById, type PublicUser } from './user.repo.ts'

/** A token as the API shows it: never its secret nor its hash. */
export interface ApiTokenView {
  id: number
  name: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
}

/** A token as its user authenticates with it. */
export interface ApiTokenAuth {
  token: ApiTokenView
  user: PublicUser
}

/** `last_used_at` is written at most this often per token. */
export const LAST_USED_WRITE_MS = 60_000

const DAY_MS = 86_400_000

function iso(value: Date | string | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}

function toView(row: { id: number; name: string; created_at: Date; expires_at: Date | null; last_used_at: Date | null }): ApiTokenView {
  return {
    id: Number(row.id),
    name: row.name,
    created_at: iso(row.created_at) as string,
    expires_at: iso(row.expires_at),
    last_used_at: iso(row.last_used_at),
  }
}

/** Creates a token for `userId`; the secret is returned once and only its SHA-256 is stored. */
export async function createApiToken(
  db: Kysely<Database>,
  userId: number,
  input: { name: string; expires_in_days?: number | undefined },
  now: Date = new Date(),
): Promise<{ token: ApiTokenView; secret: string }> {
  const secret = generateApiTokenSecret()
  const expiresAt = input.expires_in_days === undefined ? null : new Date(now.getTime() + input.expires_in_days * DAY_MS)
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, name: input.name, token_hash: hashToken(secret), created_at: now, expires_at: expiresAt })
    .returning(['id', 'name', 'created_at', 'expires_at', 'last_used_at'])
    .executeTakeFirstOrThrow()
  return { token: toView(row), secret }
}

/** The user's tokens, newest first (expired ones too, so they can be cleaned up). */
export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .execute()
  return rows.map(toView)
}

/** Deletes the user's token `id`; false when the user has no such token. The token stops working at once. */
export async function revokeApiToken(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * The token and user a bearer secret authenticates; null when it is malformed, unknown
 * (revoked), expired, or its user is gone. Records `last_used_at`, at most once a minute.
 * Never throws for a bad secret.
 */
export async function authenticateApiToken(db: Kysely<Database>, secret: string, now: Date = new Date()): Promise<ApiTokenAuth | null> {
  if (!isApiTokenShaped(secret)) return null
  const hash = hashToken(secret)
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'name', 'token_hash', 'created_at', 'expires_at', 'last_used_at'])
    .where('token_hash', '=', hash)
    .executeTakeFirst()
  // The index found the row by hash; compare again in constant time so timing says nothing about near misses.
  if (!row || !tokensEqual(row.token_hash, hash)) return null
  if (row.expires_at !== null && new Date(row.expires_at).getTime() <= now.getTime()) return null
  const user = await findUserById(db, Number(row.user_id))
  if (!user) return null
  let lastUsed = row.last_used_at
  if (lastUsed === null || now.getTime() - new Date(lastUsed).getTime() >= LAST_USED_WRITE_MS) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute()
    lastUsed = now
  }
  return { token: toView({ ...row, last_used_at: lastUsed }), user }
}

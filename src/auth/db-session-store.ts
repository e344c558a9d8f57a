import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import { needsRenewal, type SessionStore, type SessionStoreOptions } from './session-store.ts'
import { generateToken, hashToken, isTokenShaped } from './session-token.ts'

/**
 * Sessions in the `auth_sessions` table: the embedded default, so a restart does not
 * log anyone out. Expired rows are removed when their user logs in again or when met.
 */
export function createDatabaseSessionStore(db: Kysely<Database>, options: SessionStoreOptions): SessionStore {
  const now = options.now ?? Date.now
  const ttlMs = options.ttlSeconds * 1000

  return {
    async create(userId) {
      const token = generateToken()
      const csrfToken = generateToken()
      const expiresAt = new Date(now() + ttlMs)
      await db.deleteFrom('auth_sessions').where('user_id', '=', userId).where('expires_at', '<=', new Date(now())).execute()
      await db
        .insertInto('auth_sessions')
        .values({ id: hashToken(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt })
        .execute()
      return { token, userId, csrfToken, expiresAt }
    },

    async validate(token) {
      if (!isTokenShaped(token)) return null
      const id = hashToken(token)
      const row = await db.selectFrom('auth_sessions').select(['user_id', 'csrf_token', 'expires_at']).where('id', '=', id).executeTakeFirst()
      if (!row) return null
      if (row.expires_at.getTime() <= now()) {
        await db.deleteFrom('auth_sessions').where('id', '=', id).execute()
        return null
      }
      let expiresAt = row.expires_at
      let renewed = false
      if (needsRenewal(expiresAt, now(), options.ttlSeconds)) {
        expiresAt = new Date(now() + ttlMs)
        await db.updateTable('auth_sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute()
        renewed = true
      }
      return { userId: row.user_id, csrfToken: row.csrf_token, expiresAt, renewed }
    },

    async delete(token) {
      if (!isTokenShaped(token)) return
      await db.deleteFrom('auth_sessions').where('id', '=', hashToken(token)).execute()
    },

    async deleteAllForUser(userId) {
      const result = await db.deleteFrom('auth_sessions').where('user_id', '=', userId).executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  }
}

import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import type { Redis } from '../redis/index.ts'
import { createDatabaseSessionStore } from './db-session-store.ts'
import { needsRenewal, type SessionStore, type SessionStoreOptions } from './session-store.ts'
import { hashToken, isTokenShaped } from './session-token.ts'

/** Options of the cached store: the stores' own, and how long Redis may answer for PostgreSQL. */
export interface CachedSessionStoreOptions extends SessionStoreOptions {
  /** How long a cached session is trusted before the database is asked again (default 60 s). */
  cacheSeconds?: number
}

interface CachedSession {
  user_id: number
  csrf_token: string
  expires_at: number
}

function parseCached(raw: string | null): CachedSession | null {
  if (!raw) return null
  try {
    const v = JSON.parse(raw) as Partial<CachedSession>
    if (typeof v.user_id !== 'number' || typeof v.csrf_token !== 'string' || typeof v.expires_at !== 'number') return null
    return v as CachedSession
  } catch {
    return null
  }
}

/**
 * Login sessions with the database (`auth_sessions`) as the truth and Redis as a cache that can
 * vanish: a Redis wiped, restarted without its data, or down logs nobody out, because every miss
 * (or Redis error) reads the database and a cached entry lives at most `cacheSeconds`. Redis is
 * used only while its client is ready, so an outage never makes a request wait for it.
 */
export function createCachedSessionStore(db: Kysely<Database>, redis: Redis, prefix: string, options: CachedSessionStoreOptions): SessionStore {
  const truth = createDatabaseSessionStore(db, options)
  const now = options.now ?? Date.now
  const cacheMs = (options.cacheSeconds ?? 60) * 1000
  // The key and value the Redis-only store used: one name for a session in Redis, cached or not.
  const key = (hash: string): string => `${prefix}auth:s:${hash}`

  async function cacheGet(hash: string): Promise<CachedSession | null> {
    if (!redis.isReady) return null
    return parseCached(await redis.get(key(hash)).catch(() => null))
  }
  async function cachePut(hash: string, session: CachedSession): Promise<void> {
    const ttl = Math.min(cacheMs, session.expires_at - now())
    if (!redis.isReady || ttl <= 0) return
    await redis.set(key(hash), JSON.stringify(session), { expiration: { type: 'PX', value: ttl } }).catch(() => undefined)
  }
  async function cacheDrop(hashes: string[]): Promise<void> {
    if (!redis.isReady || hashes.length === 0) return
    await redis.del(hashes.map(key)).catch(() => undefined)
  }

  return {
    async create(userId) {
      const created = await truth.create(userId)
      await cachePut(hashToken(created.token), { user_id: userId, csrf_token: created.csrfToken, expires_at: created.expiresAt.getTime() })
      return created
    },

    async validate(token) {
      if (!isTokenShaped(token)) return null
      const hash = hashToken(token)
      const cached = await cacheGet(hash)
      // A cached session due for renewal goes to the database, which renews it.
      if (cached && cached.expires_at > now() && !needsRenewal(new Date(cached.expires_at), now(), options.ttlSeconds)) {
        return { userId: cached.user_id, csrfToken: cached.csrf_token, expiresAt: new Date(cached.expires_at), renewed: false }
      }
      const session = await truth.validate(token)
      if (!session) {
        if (cached) await cacheDrop([hash])
        return null
      }
      await cachePut(hash, { user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt.getTime() })
      return session
    },

    async delete(token) {
      if (!isTokenShaped(token)) return
      await truth.delete(token)
      await cacheDrop([hashToken(token)])
    },

    async deleteAllForUser(userId) {
      const rows = await db.selectFrom('auth_sessions').select('id').where('user_id', '=', userId).execute()
      const count = await truth.deleteAllForUser(userId)
      await cacheDrop(rows.map((r) => r.id))
      return count
    },
  }
}

import type { Redis } from '../redis/index.ts'
import {
  type CreatedAuthSession,
  needsRenewal,
  type SessionStore,
  type SessionStoreOptions,
  type ValidatedAuthSession,
} from './session-store.ts'
import { generateToken, hashToken, isTokenShaped } from './session-token.ts'

interface StoredSession {
  user_id: number
  csrf_token: string
  expires_at: number
}

function parseStored(raw: string | null): StoredSession | null {
  if (!raw) return null
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>
    if (typeof value.user_id !== 'number' || typeof value.csrf_token !== 'string' || typeof value.expires_at !== 'number') return null
    return value as StoredSession
  } catch {
    return null
  }
}

/**
 * Sessions in Redis: `<prefix>auth:s:<sha256>` holds the session with a TTL, and
 * `<prefix>auth:u:<user id>` indexes a user's sessions for revocation. Every web
 * process sees the same sessions.
 */
export function createRedisSessionStore(redis: Redis, prefix: string, options: SessionStoreOptions): SessionStore {
  const now = options.now ?? Date.now
  const ttlMs = options.ttlSeconds * 1000
  const sessionKey = (hash: string): string => `${prefix}auth:s:${hash}`
  const userKey = (userId: number): string => `${prefix}auth:u:${userId}`

  async function write(hash: string, session: StoredSession): Promise<void> {
    await redis
      .multi()
      .set(sessionKey(hash), JSON.stringify(session), { expiration: { type: 'PX', value: ttlMs } })
      .sAdd(userKey(session.user_id), hash)
      // The index lives as long as the user's newest session.
      .pExpire(userKey(session.user_id), ttlMs)
      .exec()
  }

  return {
    async create(userId) {
      const token = generateToken()
      const session: StoredSession = { user_id: userId, csrf_token: generateToken(), expires_at: now() + ttlMs }
      await write(hashToken(token), session)
      return { token, userId, csrfToken: session.csrf_token, expiresAt: new Date(session.expires_at) } satisfies CreatedAuthSession
    },

    async validate(token) {
      if (!isTokenShaped(token)) return null
      const hash = hashToken(token)
      const session = parseStored(await redis.get(sessionKey(hash)))
      if (!session || session.expires_at <= now()) return null
      let renewed = false
      if (needsRenewal(new Date(session.expires_at), now(), options.ttlSeconds)) {
        session.expires_at = now() + ttlMs
        await write(hash, session)
        renewed = true
      }
      return {
        userId: session.user_id,
        csrfToken: session.csrf_token,
        expiresAt: new Date(session.expires_at),
        renewed,
      } satisfies ValidatedAuthSession
    },

    async delete(token) {
      if (!isTokenShaped(token)) return
      const hash = hashToken(token)
      const session = parseStored(await redis.get(sessionKey(hash)))
      const tx = redis.multi().del(sessionKey(hash))
      if (session) tx.sRem(userKey(session.user_id), hash)
      await tx.exec()
    },

    async deleteAllForUser(userId) {
      const hashes = await redis.sMembers(userKey(userId))
      if (hashes.length === 0) return 0
      const removed = await redis.del(hashes.map(sessionKey))
      await redis.del(userKey(userId))
      return Number(removed)
    },
  }
}

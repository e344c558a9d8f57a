import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import {
  createDatabaseRateLimiter,
  createDatabaseSessionStore,
  createRedisRateLimiter,
  createRedisSessionStore,
  type RateLimiter,
  type SessionStore,
} from '../../src/auth/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { primaryEngine } from '../support/engines.ts'
import { uniqueName } from '../support/http.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const { redisUrl, redisPrefix } = testServices()
const TTL = 600

let database: DatabaseHandle
let redis: Redis | null = null
let clock = Date.now()
const now = (): number => clock

beforeAll(async () => {
  database = await primaryEngine().open()
  if (redisUrl) redis = await connectRedis(redisUrl, silentLogger())
})
afterAll(async () => {
  if (redis) await closeRedis(redis)
  await database.close()
})

async function newUserId(): Promise<number> {
  const name = uniqueName('store')
  const row = await database.db
    .insertInto('users')
    .values({ username: name, email: `${name}@x.test`, password_hash: 'not-a-hash' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

const stores: Array<{ name: string; make: () => SessionStore; needsRedis: boolean }> = [
  { name: 'database', make: () => createDatabaseSessionStore(database.db, { ttlSeconds: TTL, now }), needsRedis: false },
  { name: 'redis', make: () => createRedisSessionStore(redis as Redis, `${redisPrefix}store:`, { ttlSeconds: TTL, now }), needsRedis: true },
]

for (const { name, make, needsRedis } of stores) {
  describe.skipIf(needsRedis && !redisUrl)(`${name} session store`, () => {
    it('validates a created session and returns its user and CSRF token', async () => {
      const store = make()
      const userId = await newUserId()
      const created = await store.create(userId)
      const found = await store.validate(created.token)
      expect(found).toMatchObject({ userId, csrfToken: created.csrfToken, renewed: false })
      expect(created.csrfToken).not.toBe(created.token)
    })

    it('returns null for tokens it never issued, including malformed ones', async () => {
      const store = make()
      expect(await store.validate('A'.repeat(43))).toBeNull()
      expect(await store.validate("' or 1=1 --")).toBeNull()
      expect(await store.validate('')).toBeNull()
    })

    it('renews the expiry once past the renewal point (sliding) and expires after the TTL without use', async () => {
      const store = make()
      const created = await store.create(await newUserId())
      clock += 120_000
      const renewed = await store.validate(created.token)
      expect(renewed?.renewed).toBe(true)
      expect(renewed?.expiresAt.getTime()).toBe(clock + TTL * 1000)
      expect((await store.validate(created.token))?.renewed).toBe(false)
      clock += TTL * 1000 + 1
      expect(await store.validate(created.token)).toBeNull()
    })

    it('deletes one session, and revokes all sessions of a user without touching others', async () => {
      const store = make()
      const userId = await newUserId()
      const otherId = await newUserId()
      const a = await store.create(userId)
      const b = await store.create(userId)
      const c = await store.create(userId)
      const other = await store.create(otherId)
      await store.delete(a.token)
      expect(await store.validate(a.token)).toBeNull()
      expect(await store.deleteAllForUser(userId)).toBe(2)
      expect(await store.validate(b.token)).toBeNull()
      expect(await store.validate(c.token)).toBeNull()
      expect((await store.validate(other.token))?.userId).toBe(otherId)
    })
  })
}

const limiters: Array<{ name: string; make: () => RateLimiter; needsRedis: boolean }> = [
  { name: 'database', make: () => createDatabaseRateLimiter(database.db), needsRedis: false },
  { name: 'redis', make: () => createRedisRateLimiter(redis as Redis, `${redisPrefix}limits:`), needsRedis: true },
]

for (const { name, make, needsRedis } of limiters) {
  describe.skipIf(needsRedis && !redisUrl)(`${name} rate limiter`, () => {
    it('counts hits in a window, reports the time left, and forgets a key on reset', async () => {
      const limiter = make()
      const key = uniqueName('rl')
      expect(await limiter.peek(key)).toEqual({ count: 0, resetsInSeconds: 0 })
      expect((await limiter.hit(key, 60)).count).toBe(1)
      const second = await limiter.hit(key, 60)
      expect(second.count).toBe(2)
      expect(second.resetsInSeconds).toBeGreaterThan(0)
      expect(second.resetsInSeconds).toBeLessThanOrEqual(60)
      expect((await limiter.peek(key)).count).toBe(2)
      await limiter.reset(key)
      expect((await limiter.peek(key)).count).toBe(0)
    })

    it('counts concurrent hits exactly', async () => {
      const limiter = make()
      const key = uniqueName('rl')
      const results = await Promise.all(Array.from({ length: 20 }, () => limiter.hit(key, 60)))
      expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    })

    it('starts a new window after the old one ends', async () => {
      const limiter = make()
      const key = uniqueName('rl')
      await limiter.hit(key, 1)
      await limiter.hit(key, 1)
      await Bun.sleep(1100)
      expect((await limiter.peek(key)).count).toBe(0)
      expect((await limiter.hit(key, 1)).count).toBe(1)
    })
  })
}

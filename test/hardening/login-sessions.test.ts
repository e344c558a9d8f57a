import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createAuthBackends, hashToken } from '../../src/auth/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { createEventFeed, createInProcessEventBus } from '../../src/events/index.ts'
import { type App, createApp } from '../../src/http/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { createMetricsRegistry } from '../../src/metrics/index.ts'
import { createDirectSessionControl } from '../orchestration/direct-session-control.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { type PrivateRedis, redisServerAvailable, startPrivateRedis } from '../actors/support/private-services.ts'
import { testConfig, testEngines } from '../support/engines.ts'
import { ApiClient, signUp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe.skipIf(!redisServerAvailable())(`login sessions with a Redis that loses its data (${engine.name})`, () => {
    let server: PrivateRedis
    let redis: Redis
    let database: DatabaseHandle
    let app: App
    const shutdown = new AbortController()
    const prefix = 'sage-login:'

    beforeAll(async () => {
      server = await startPrivateRedis()
      redis = await connectRedis(server.url, silentLogger())
      database = await engine.open()
      const config = testConfig({ REDIS_PREFIX: prefix })
      const backends = createAuthBackends({ db: database.db, redis, redisPrefix: prefix, sessionTtlSeconds: config.SESSION_TTL_SECONDS })
      app = createApp({
        config,
        db: database.db,
        redis,
        log: silentLogger(),
        shutdown: shutdown.signal,
        ...backends,
        sessionControl: createDirectSessionControl(database.db),
        feed: createEventFeed({ db: database.db, bus: createInProcessEventBus(), log: silentLogger() }),
        metrics: createMetricsRegistry(),
      })
    })
    afterAll(async () => {
      shutdown.abort()
      await closeRedis(redis)
      await server.stop()
      await database.close()
    })

    it('keeps the session in the database, with Redis only caching it', async () => {
      const user = await signUp(app)
      const id = hashToken(user.cookie ?? '')
      const row = await database.db.selectFrom('auth_sessions').select(['user_id', 'csrf_token']).where('id', '=', id).executeTakeFirst()
      expect(row).toEqual({ user_id: user.user?.id as number, csrf_token: user.csrf as string })
      expect(await redis.exists(`${prefix}auth:s:${id}`)).toBe(1)
    })

    it('keeps users logged in when Redis is wiped', async () => {
      const user = await signUp(app)
      expect((await user.get('/api/auth/me')).status).toBe(200)
      await redis.flushAll()
      const me = await user.get('/api/auth/me')
      expect(me.status).toBe(200)
      expect(me.body.user.id).toBe(user.user?.id as number)
      // The CSRF token is the same one, so forms already on screen still post.
      expect((await user.post('/api/teams', { name: 'After the wipe' })).status).toBe(201)
    })

    it('keeps users logged in while Redis is down, and after it restarts empty', async () => {
      const user = await signUp(app)
      await server.crash()
      try {
        expect((await user.get('/api/auth/me')).status).toBe(200)
      } finally {
        await server.restart()
      }
      await redis.flushAll().catch(() => undefined)
      expect((await user.get('/api/auth/me')).status).toBe(200)
    })

    it('logs out for good: a deleted session is gone from the cache too', async () => {
      const user = await signUp(app)
      const cookie = user.cookie
      expect((await user.post('/api/auth/logout')).status).toBeLessThan(300)
      const stale = new ApiClient(app)
      stale.cookie = cookie
      expect((await stale.get('/api/auth/me')).status).toBe(401)
    })
  })
}

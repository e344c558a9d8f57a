import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { hashToken } from '../../src/auth/index.ts'
import { ApiClient, logIn, req, signUp, startTestApp, TEST_PASSWORD, type TestApp, uniqueName } from '../support/http.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const { redisUrl } = testServices()

// The key auth behaviours run on both session stores: Redis, and the database (the embedded default).
for (const store of ['redis', 'database'] as const) {
  describe.skipIf(store === 'redis' && !redisUrl)(`auth with the ${store} session store`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await startTestApp({ store })
    })
    afterAll(() => t.close())

    it('signs up with 201, the public user and an httpOnly SameSite=Lax cookie holding a 256-bit token', async () => {
      const client = new ApiClient(t.app)
      const username = uniqueName()
      const res = await client.post('/api/auth/signup', { username, email: `${username}@Example.test`, password: TEST_PASSWORD })
      expect(res.status).toBe(201)
      expect(Object.keys(res.body.user).sort()).toEqual(['created_at', 'email', 'id', 'username'])
      expect(res.body.user.email).toBe(`${username}@example.test`)
      expect(typeof res.body.csrf_token).toBe('string')
      const cookie = res.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^sage_session=[A-Za-z0-9_-]{43}; /)
      expect(cookie).toContain('HttpOnly')
      expect(cookie).toContain('SameSite=Lax')
      expect(cookie).not.toContain('Secure')
    })

    it('returns 409 naming the field when the username or email is taken, ignoring case', async () => {
      const first = await signUp(t.app)
      const name = first.user?.username ?? ''
      const byName = await new ApiClient(t.app).post('/api/auth/signup', { username: name.toUpperCase(), email: `${uniqueName()}@x.test`, password: TEST_PASSWORD })
      expect(byName.status).toBe(409)
      expect(byName.body.error.code).toBe('conflict')
      expect(byName.body.error.details).toEqual([{ field: 'username', message: 'is already taken' }])
      const byEmail = await new ApiClient(t.app).post('/api/auth/signup', { username: uniqueName(), email: first.user?.email.toUpperCase(), password: TEST_PASSWORD })
      expect(byEmail.status).toBe(409)
      expect(byEmail.body.error.details).toEqual([{ field: 'email', message: 'is already taken' }])
    })

    it('returns 422 listing each invalid field on signup', async () => {
      const res = await new ApiClient(t.app).post('/api/auth/signup', { username: 'a b', email: 'not-an-email', password: 'short' })
      expect(res.status).toBe(422)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['email', 'password', 'username'])
    })

    it('logs in by username or by email and answers /me with the user and CSRF token', async () => {
      const user = (await signUp(t.app)).user
      const byName = await logIn(t.app, user?.username ?? '')
      const byEmail = await logIn(t.app, user?.email ?? '')
      expect(byName.user?.id).toBe(user?.id as number)
      expect(byEmail.user?.id).toBe(user?.id as number)
      const me = await byEmail.get('/api/auth/me')
      expect(me.status).toBe(200)
      expect(me.body).toEqual({ user: byEmail.user, csrf_token: byEmail.csrf })
    })

    it('returns 401 for a wrong password and for an unknown user, with the same message', async () => {
      const user = (await signUp(t.app)).user
      const wrong = await new ApiClient(t.app).post('/api/auth/login', { username: user?.username, password: 'wrong password' })
      const unknown = await new ApiClient(t.app).post('/api/auth/login', { username: uniqueName(), password: 'wrong password' })
      expect(wrong.status).toBe(401)
      expect(unknown.status).toBe(401)
      expect(wrong.body.error.message).toBe(unknown.body.error.message)
      expect(wrong.headers.get('set-cookie')).toBeNull()
    })

    it('returns 401 from /me without a cookie, with a malformed cookie and with an unknown token', async () => {
      expect((await req(t.app, '/api/auth/me')).status).toBe(401)
      expect((await req(t.app, '/api/auth/me', { headers: { cookie: 'sage_session=%%%' } })).status).toBe(401)
      const unknown = await req(t.app, '/api/auth/me', { headers: { cookie: `sage_session=${'A'.repeat(43)}` } })
      expect(unknown.status).toBe(401)
      expect((await unknown.json()).error.code).toBe('unauthorized')
    })

    it('issues a new session id on every login and deletes the session the browser had', async () => {
      const client = await signUp(t.app)
      const before = client.cookie
      const res = await client.post('/api/auth/login', { username: client.user?.username, password: TEST_PASSWORD })
      expect(res.status).toBe(200)
      expect(client.cookie).not.toBe(before)
      const old = await req(t.app, '/api/auth/me', { headers: { cookie: `sage_session=${before}` } })
      expect(old.status).toBe(401)
    })

    it('logs out with 204, clears the cookie, and the old cookie no longer works server-side', async () => {
      const client = await signUp(t.app)
      const token = client.cookie
      const res = await client.post('/api/auth/logout')
      expect(res.status).toBe(204)
      expect(res.headers.get('set-cookie')).toContain('Max-Age=0')
      const replay = await req(t.app, '/api/auth/me', { headers: { cookie: `sage_session=${token}` } })
      expect(replay.status).toBe(401)
    })

    it('returns 403 when a cookie-authenticated change has no CSRF token or a wrong one', async () => {
      const client = await signUp(t.app)
      const missing = await client.post('/api/teams', { name: 'No token' }, { noCsrf: true })
      expect(missing.status).toBe(403)
      expect(missing.body.error.code).toBe('forbidden')
      const wrong = await client.post('/api/teams', { name: 'Wrong token' }, { noCsrf: true, headers: { 'x-csrf-token': 'A'.repeat(43) } })
      expect(wrong.status).toBe(403)
      const other = await signUp(t.app)
      const foreign = await client.post('/api/auth/logout', undefined, { noCsrf: true, headers: { 'x-csrf-token': other.csrf ?? '' } })
      expect(foreign.status).toBe(403)
      expect((await client.get('/api/auth/me')).status).toBe(200)
      expect((await client.get('/api/teams')).body).toEqual([])
    })

    it('accepts the CSRF token as the _csrf field of a urlencoded form', async () => {
      const client = await signUp(t.app)
      const res = await req(t.app, '/api/auth/logout', {
        method: 'POST',
        headers: { cookie: `sage_session=${client.cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(client.csrf ?? '')}`,
      })
      expect(res.status).toBe(204)
    })

    it('revokes every session of the user', async () => {
      const first = await signUp(t.app)
      const second = await logIn(t.app, first.user?.username ?? '')
      const res = await second.delete('/api/auth/sessions')
      expect(res.status).toBe(204)
      expect((await first.get('/api/auth/me')).status).toBe(401)
      expect((await req(t.app, '/api/auth/me', { headers: { cookie: `sage_session=${second.cookie ?? ''}` } })).status).toBe(401)
    })

    it('refuses login after 10 wrong passwords (by username or email) with 429 and Retry-After, even with the right password', async () => {
      const user = (await signUp(t.app)).user
      // Username and email share one budget: five wrong tries by each lock the account.
      for (let i = 0; i < 10; i++) {
        const login = i % 2 === 0 ? user?.username : user?.email.toUpperCase()
        const res = await new ApiClient(t.app).post('/api/auth/login', { username: login, password: `wrong ${i}` })
        expect(res.status).toBe(401)
      }
      const locked = await new ApiClient(t.app).post('/api/auth/login', { username: user?.username, password: TEST_PASSWORD })
      expect(locked.status).toBe(429)
      expect(locked.body.error.code).toBe('rate_limited')
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
      // The lock is per account: another account logs in normally.
      const other = await signUp(t.app)
      expect((await logIn(t.app, other.user?.username ?? '')).user?.id).toBe(other.user?.id as number)
    })

    it('keeps only the SHA-256 of the session token in the store', async () => {
      const client = await signUp(t.app)
      const token = client.cookie ?? ''
      if (store === 'database') {
        const rows = await t.database.db.selectFrom('auth_sessions').select('id').where('user_id', '=', client.user?.id ?? 0).execute()
        expect(rows.map((r) => r.id)).toEqual([hashToken(token)])
      } else {
        const keys = await t.redis?.keys(`${t.deps.config.REDIS_PREFIX}auth:s:*`)
        expect(keys).toContain(`${t.deps.config.REDIS_PREFIX}auth:s:${hashToken(token)}`)
        expect(keys?.some((k) => k.includes(token))).toBe(false)
      }
    })
  })
}

describe('auth hardening', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({
      env: { TRUST_PROXY: 'true' },
      authLimits: {
        loginFailuresPerAccount: { limit: 10, windowSeconds: 900 },
        loginAttemptsPerIp: { limit: 3, windowSeconds: 900 },
        signupsPerIp: { limit: 2, windowSeconds: 3600 },
        signupsPerAccount: { limit: 10, windowSeconds: 3600 },
      },
    })
  })
  afterAll(() => t.close())

  it('limits login attempts per client IP with 429', async () => {
    const ip = { 'x-forwarded-for': `203.0.113.${Math.floor(Math.random() * 200)}, 10.0.0.${Math.floor(Math.random() * 200)}` }
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) {
      statuses.push((await new ApiClient(t.app).post('/api/auth/login', { username: uniqueName(), password: 'whatever1' }, { headers: ip })).status)
    }
    expect(statuses).toEqual([401, 401, 401, 429])
  })

  it('limits signups per client IP with 429 and Retry-After', async () => {
    const ip = { 'x-forwarded-for': `198.51.100.${Math.floor(Math.random() * 250)}` }
    const attempt = () => {
      const username = uniqueName()
      return new ApiClient(t.app).post('/api/auth/signup', { username, email: `${username}@x.test`, password: TEST_PASSWORD }, { headers: ip })
    }
    expect((await attempt()).status).toBe(201)
    expect((await attempt()).status).toBe(201)
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('refuses a cross-origin login or signup with 403 and accepts the same origin', async () => {
    const username = uniqueName()
    const body = { username, email: `${username}@x.test`, password: TEST_PASSWORD }
    const evil = await new ApiClient(t.app).post('/api/auth/signup', body, { headers: { origin: 'https://evil.example' } })
    expect(evil.status).toBe(403)
    const nullOrigin = await new ApiClient(t.app).post('/api/auth/login', { username, password: TEST_PASSWORD }, { headers: { origin: 'null' } })
    expect(nullOrigin.status).toBe(403)
    const same = await new ApiClient(t.app).post('/api/auth/signup', body, { headers: { origin: 'http://localhost' } })
    expect(same.status).toBe(201)
  })

  it('refuses a cross-origin WebSocket upgrade with 403', async () => {
    const res = await req(t.app, '/ws/sessions/1', { headers: { upgrade: 'websocket', origin: 'https://evil.example' } })
    expect(res.status).toBe(403)
  })
})

describe('auth behind APP_ORIGIN over HTTPS', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ env: { APP_ORIGIN: 'https://sage.example' } })
  })
  afterAll(() => t.close())

  it('marks the cookie Secure and sends HSTS', async () => {
    const username = uniqueName()
    const res = await req(t.app, '/api/auth/signup', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://sage.example' },
      body: JSON.stringify({ username, email: `${username}@x.test`, password: TEST_PASSWORD }),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('set-cookie')).toContain('; Secure')
    expect(res.headers.get('strict-transport-security')).toContain('max-age=')
  })

  it('compares Origin with APP_ORIGIN, not with the address the request reached', async () => {
    const res = await req(t.app, '/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ username: 'someone', password: 'whatever1' }),
    })
    expect(res.status).toBe(403)
  })
})

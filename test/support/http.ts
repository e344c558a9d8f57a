import { createEventFeed, createInProcessEventBus } from '../../src/events/index.ts'
import { createMetricsRegistry } from '../../src/metrics/index.ts'
import { type AuthLimits, createAuthBackends, type PublicUser } from '../../src/auth/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { type App, type AppDeps, createApp } from '../../src/http/index.ts'
import { type Logger, silentLogger } from '../../src/log/index.ts'
import type { SessionControl } from '../../src/orchestration/index.ts'
import { createDirectSessionControl } from '../orchestration/direct-session-control.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { primaryEngine, type TestEngine, testConfig } from './engines.ts'
import { testServices } from './services.ts'

/** How a test app is built. */
export interface TestAppOptions {
  /** Where login sessions and rate limits live: Redis (default when reachable) or the database. */
  store?: 'redis' | 'database'
  /** Extra config variables. */
  env?: Record<string, string>
  authLimits?: AuthLimits
  /** The database engine (the primary one by default: PostgreSQL when reachable). */
  engine?: TestEngine
  /** The app's logger (silent by default). */
  log?: Logger
  /** Replaces the direct (database-only) session control. */
  sessionControl?: (db: DatabaseHandle['db']) => SessionControl
}

/** An app over the run's database (and Redis), with its deps; `close()` releases the connections. */
export interface TestApp {
  app: App
  deps: AppDeps
  database: DatabaseHandle
  redis: Redis | null
  close(): Promise<void>
}

/** Builds the whole app as `startService` does, on the primary test engine; Redis keys go under the run's prefix. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const services = testServices()
  const useRedis = (options.store ?? 'redis') === 'redis' && services.redisUrl !== null
  const database = await (options.engine ?? primaryEngine()).open()
  const redis = useRedis && services.redisUrl ? await connectRedis(services.redisUrl, silentLogger()) : null
  const prefix = `${services.redisPrefix}app${Math.random().toString(36).slice(2, 8)}:`
  const config = testConfig({ REDIS_PREFIX: prefix, ...options.env })
  const backends = createAuthBackends({ db: database.db, redis, redisPrefix: prefix, sessionTtlSeconds: config.SESSION_TTL_SECONDS })
  const shutdown = new AbortController()
  const bus = createInProcessEventBus()
  const deps: AppDeps = {
    config,
    db: database.db,
    redis,
    log: options.log ?? silentLogger(),
    shutdown: shutdown.signal,
    ...backends,
    sessionControl: options.sessionControl ? options.sessionControl(database.db) : createDirectSessionControl(database.db),
    feed: createEventFeed({ db: database.db, bus, log: silentLogger() }),
    metrics: createMetricsRegistry(),
    ...(options.authLimits ? { authLimits: options.authLimits } : {}),
  }
  return {
    app: createApp(deps),
    deps,
    database,
    redis,
    async close() {
      shutdown.abort()
      await deps.feed.close()
      if (redis) await closeRedis(redis)
      await database.close()
    },
  }
}

/** Sends a request through `app.handle` (no port). `path` starts with `/`. */
export function req(app: App, path: string, init: RequestInit = {}): Promise<Response> {
  return app.handle(new Request(`http://localhost${path}`, init))
}

/** A parsed response. */
export interface ApiResponse {
  status: number
  headers: Headers
  text: string
  /** The JSON body, or undefined when the body is empty or not JSON. */
  body: any
}

/** Options of one ApiClient call. */
export interface CallOptions {
  headers?: Record<string, string>
  /** Send this raw string as the body instead of JSON-encoding `body`. */
  raw?: string
  /** Leave out the CSRF header. */
  noCsrf?: boolean
}

/** A browser-like client: keeps the session cookie and sends the CSRF token on state-changing requests. */
export class ApiClient {
  cookie: string | null = null
  csrf: string | null = null
  user: PublicUser | null = null

  constructor(readonly app: App) {}

  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers }
    if (this.cookie) headers.cookie = `sage_session=${this.cookie}`
    if (this.csrf && !options.noCsrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = this.csrf
    let payload: string | undefined
    if (options.raw !== undefined) payload = options.raw
    else if (body !== undefined) payload = JSON.stringify(body)
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
    const res = await req(this.app, path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) })
    const setCookie = res.headers.get('set-cookie')
    const match = setCookie ? /sage_session=([^;]*)/.exec(setCookie) : null
    if (match) this.cookie = match[1] ? match[1] : null
    const text = await res.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (parsed && typeof parsed === 'object' && 'csrf_token' in parsed) this.csrf = String((parsed as { csrf_token: string }).csrf_token)
    if (parsed && typeof parsed === 'object' && 'user' in parsed && res.ok) this.user = (parsed as { user: PublicUser }).user
    return { status: res.status, headers: res.headers, text, body: parsed }
  }

  get(path: string, options?: CallOptions): Promise<ApiResponse> {
    return this.call('GET', path, undefined, options)
  }
  post(path: string, body?: unknown, options?: CallOptions): Promise<ApiResponse> {
    return this.call('POST', path, body, options)
  }
  put(path: string, body?: unknown, options?: CallOptions): Promise<ApiResponse> {
    return this.call('PUT', path, body, options)
  }
  delete(path: string, options?: CallOptions): Promise<ApiResponse> {
    return this.call('DELETE', path, undefined, options)
  }
}

let counter = 0

/** A username no other test in this run uses (3–50 chars of the allowed set). */
export function uniqueName(label = 'u'): string {
  counter += 1
  return `${label}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}${counter}`
}

/** The password signUp() gives its users. */
export const TEST_PASSWORD = 'correct horse battery'

/** Signs up a fresh user and returns a client logged in as them (cookie and CSRF token set). */
export async function signUp(app: App, overrides: { username?: string; email?: string; password?: string } = {}): Promise<ApiClient> {
  const client = new ApiClient(app)
  const username = overrides.username ?? uniqueName()
  const res = await client.post('/api/auth/signup', {
    username,
    email: overrides.email ?? `${username}@example.test`,
    password: overrides.password ?? TEST_PASSWORD,
  })
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`)
  return client
}

/** Logs in through the API and returns a client carrying the new cookie and CSRF token. */
export async function logIn(app: App, username: string, password = TEST_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(app)
  const res = await client.post('/api/auth/login', { username, password })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`)
  return client
}

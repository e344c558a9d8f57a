import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Subprocess } from 'bun'
import { connectDatabase, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import {
  type PrivatePostgres,
  type PrivateRedis,
  privatePostgresAvailable,
  redisServerAvailable,
  startPrivatePostgres,
  startPrivateRedis,
} from '../actors/support/private-services.ts'
import { signUp, startTestApp, type TestApp } from '../support/http.ts'
import { REPO_ROOT, serviceEnv } from '../support/service-process.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(120_000)

/** A `bun src/main.ts` whose JSON log lines are collected as they come. */
interface Child {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  lines: string[]
  /** Resolves with the first line whose `msg` is `msg`. */
  logged(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>
}

function spawnService(env: Record<string, string>): Child {
  const proc = Bun.spawn(['bun', 'src/main.ts'], { cwd: REPO_ROOT, env: serviceEnv(env), stdout: 'pipe', stderr: 'pipe' })
  const lines: string[] = []
  void (async () => {
    const decoder = new TextDecoder()
    let partial = ''
    const reader = proc.stdout.getReader()
    for (;;) {
      const { done, value: chunk } = await reader.read()
      if (done) return
      const parts = (partial + decoder.decode(chunk, { stream: true })).split('\n')
      partial = parts.pop() ?? ''
      lines.push(...parts.filter(Boolean))
    }
  })()
  return {
    proc,
    lines,
    async logged(msg, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === msg)
        if (line) return line
        if (Date.now() > deadline) throw new Error(`no "${msg}" in:\n${lines.join('\n')}`)
        await Bun.sleep(50)
      }
    },
  }
}

describe.skipIf(!privatePostgresAvailable())('PostgreSQL down', () => {
  let pg: PrivatePostgres
  let url: string
  let t: TestApp

  beforeAll(async () => {
    pg = await startPrivatePostgres()
    url = await pg.createDatabase('sage_outage')
    const handle = await connectDatabase({ databaseUrl: url, log: silentLogger() })
    await migrateToLatest(handle.db)
    await handle.close()
    t = await startTestApp({
      store: 'database',
      engine: { name: 'postgres', open: () => connectDatabase({ databaseUrl: url, log: silentLogger(), poolSize: 3 }) },
    })
  })
  afterAll(async () => {
    await t?.close()
    await pg?.stop()
  })

  it('is a 503 with Retry-After in API.md’s shape, not a 500; the same request works once it is back', async () => {
    const owner = await signUp(t.app)
    expect((await owner.get('/api/teams')).status).toBe(200)
    await pg.pause()
    try {
      for (const path of ['/api/teams', '/api/sessions', '/api/dashboard']) {
        const res = await owner.get(path)
        expect([path, res.status]).toEqual([path, 503])
        expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/)
        expect(res.body.error.code).toBe('unavailable')
        expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/)
      }
    } finally {
      await pg.resume()
    }
    let status = 0
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await owner.get('/api/teams')).status
      if (status !== 200) await Bun.sleep(100)
    }
    expect(status).toBe(200)
  })

  it('a process started while it is down waits, says what it waits for, and starts once it is back', async () => {
    await pg.pause()
    const child = spawnService({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '3000' })
    try {
      const waiting = await child.logged('waiting for PostgreSQL')
      expect(String(waiting.error)).toContain('ECONNREFUSED')
      // Still waiting (not exited) after a few retries.
      const retries = () => child.lines.filter((l) => l.includes('"msg":"waiting for PostgreSQL"')).length
      while (retries() < 3) await Bun.sleep(100)
      expect(child.proc.exitCode).toBeNull()
      await pg.resume()
      const started = await child.logged('sage mode started')
      const health = await fetch(`http://127.0.0.1:${started.port}/health`)
      expect(health.status).toBe(200)
      child.proc.kill('SIGTERM')
      expect(await child.proc.exited).toBe(0)
      await child.logged('sage mode stopped', 5000)
    } finally {
      child.proc.kill('SIGKILL')
      await pg.resume().catch(() => {})
    }
  })

  it('a stop signal while it waits for PostgreSQL stops the process cleanly (exit 0)', async () => {
    await pg.pause()
    const child = spawnService({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '3000' })
    try {
      await child.logged('waiting for PostgreSQL')
      child.proc.kill('SIGTERM')
      expect(await child.proc.exited).toBe(0)
      await child.logged('sage mode stopped', 5000)
    } finally {
      child.proc.kill('SIGKILL')
      await pg.resume()
    }
  })
})

describe.skipIf(!redisServerAvailable() || !privatePostgresAvailable())('Redis down at start-up', () => {
  let redis: PrivateRedis
  let pg: PrivatePostgres
  beforeAll(async () => {
    ;[redis, pg] = await Promise.all([startPrivateRedis(), startPrivatePostgres()])
  })
  afterAll(async () => {
    await redis?.stop()
    await pg?.stop()
  })

  it('the process waits for it, saying so, and starts once it answers', async () => {
    const url = await pg.createDatabase('sage_redis_outage')
    await redis.crash()
    const child = spawnService({ DATABASE_URL: url, REDIS_URL: redis.url, SHUTDOWN_TIMEOUT_MS: '3000' })
    try {
      await child.logged('waiting for Redis')
      expect(child.proc.exitCode).toBeNull()
      await redis.restart()
      const started = await child.logged('sage mode started')
      expect(started.redis).toBe('up')
      child.proc.kill('SIGTERM')
      expect(await child.proc.exited).toBe(0)
    } finally {
      child.proc.kill('SIGKILL')
    }
  })
})

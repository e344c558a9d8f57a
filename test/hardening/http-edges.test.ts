import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { PageClient } from '../pages/page-client.ts'
import { type ApiClient, signUp, startTestApp, TEST_PASSWORD, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const LIMIT = 65_536
let t: TestApp
let owner: ApiClient
let base: string
let stopServer: () => void

beforeAll(async () => {
  t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(LIMIT) } })
  owner = await signUp(t.app)
  const listening = t.app.listen({ port: 0, hostname: '127.0.0.1' })
  base = `http://127.0.0.1:${listening.server?.port}`
  stopServer = () => listening.server?.stop(true)
})
afterAll(async () => {
  stopServer()
  await t.close()
})

describe('login redirects stay on this origin', () => {
  const escapes = ['/\t/evil.example', '/\n/evil.example', '/\\evil.example', '/.//evil.example', '//evil.example', 'https://evil.example/']

  it('GET /login?next= when logged in redirects only to a same-origin path', async () => {
    for (const next of escapes) {
      const res = await owner.get(`/login?next=${encodeURIComponent(next)}`)
      expect([next, res.status, res.headers.get('location')]).toEqual([next, 303, '/'])
    }
    const ok = await owner.get(`/login?next=${encodeURIComponent('/teams?x=1')}`)
    expect(ok.headers.get('location')).toBe('/teams?x=1')
  })

  it('POST /login redirects only to a same-origin path', async () => {
    for (const next of escapes) {
      const res = await new PageClient(t.app).post('/login', { username: owner.user?.username ?? '', password: TEST_PASSWORD, next })
      expect([next, res.status, res.location]).toEqual([next, 303, '/'])
    }
  })
})

/** POSTs `size` bytes to /api/teams as a chunked stream (no Content-Length) over a real socket. */
async function postChunked(size: number, chunk = 16_384): Promise<Response> {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close()
      const n = Math.min(chunk, size - sent)
      controller.enqueue(new Uint8Array(n).fill(0x20))
      sent += n
    },
  })
  return fetch(`${base}/api/teams`, {
    method: 'POST',
    body,
    duplex: 'half',
    headers: { 'content-type': 'application/json', cookie: `sage_session=${owner.cookie}`, 'x-csrf-token': owner.csrf ?? '' },
    signal: AbortSignal.timeout(20_000),
  } as RequestInit)
}

describe('every oversize body gets API.md’s JSON 413', () => {
  it('for chunked bodies just over the limit, between the limit and 1 MiB, and far above', async () => {
    for (const size of [LIMIT + 1, 200_000, 900_000, 4_000_000, 50_000_000]) {
      const res = await postChunked(size)
      expect([size, res.status, res.headers.get('content-type')]).toEqual([size, 413, 'application/json; charset=utf-8'])
      expect((await res.json()).error.code).toBe('payload_too_large')
    }
  })

  it('for bodies with a Content-Length of any size', async () => {
    for (const size of [LIMIT + 1, 300_000, 5_000_000]) {
      const res = await fetch(`${base}/api/teams`, {
        method: 'POST',
        body: ' '.repeat(size),
        headers: { 'content-type': 'application/json', cookie: `sage_session=${owner.cookie}`, 'x-csrf-token': owner.csrf ?? '' },
      })
      expect([size, res.status]).toEqual([size, 413])
      expect((await res.json()).error.code).toBe('payload_too_large')
    }
  })

  it('still reads a chunked body under the limit, JSON and form alike', async () => {
    const json = new TextEncoder().encode(JSON.stringify({ name: 'Chunked team' }))
    const res = await fetch(`${base}/api/teams`, {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(json.slice(0, 5))
          c.enqueue(json.slice(5))
          c.close()
        },
      }),
      duplex: 'half',
      headers: { 'content-type': 'application/json', cookie: `sage_session=${owner.cookie}`, 'x-csrf-token': owner.csrf ?? '' },
    } as RequestInit)
    expect(res.status).toBe(201)
    expect((await res.json()).team.name).toBe('Chunked team')
    const form = new TextEncoder().encode(`username=${owner.user?.username}&password=${encodeURIComponent(TEST_PASSWORD)}&next=%2Fteams`)
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(form)
          c.close()
        },
      }),
      duplex: 'half',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    } as RequestInit)
    expect([login.status, login.headers.get('location')]).toEqual([303, '/teams'])
  })
})

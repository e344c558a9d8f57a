import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { parseConfig } from '../../src/config/index.ts'
import { req, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const TOKEN = 'metrics-token-0123456789abcdef'

describe('/metrics behind METRICS_TOKEN', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: TOKEN } })
  })
  afterAll(() => t.close())

  it('answers 401 in API.md’s shape without the bearer token, or with a wrong one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, TOKEN]) {
      const res = await req(t.app, '/metrics', authorization ? { headers: { authorization } } : {})
      expect([authorization, res.status]).toEqual([authorization, 401])
      expect(res.headers.get('www-authenticate')).toContain('Bearer')
      const body = await res.json()
      expect(body.error.code).toBe('unauthorized')
      expect(JSON.stringify(body)).not.toContain('sage_up')
    }
  })

  it('serves the metrics with the token', async () => {
    const res = await req(t.app, '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('sage_up{')
  })
})

describe('/metrics without METRICS_TOKEN', () => {
  it('stays open, as before', async () => {
    const t = await startTestApp()
    try {
      const res = await req(t.app, '/metrics')
      expect(res.status).toBe(200)
    } finally {
      await t.close()
    }
  })

  it('refuses a short or spaced token at start-up, naming the variable', () => {
    for (const METRICS_TOKEN of ['short', 'has a space in it 0123456789']) {
      const parsed = parseConfig({ METRICS_TOKEN })
      expect(parsed.ok).toBe(false)
      if (!parsed.ok) expect(parsed.errors.join('\n')).toContain('METRICS_TOKEN')
    }
  })
})

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { req, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

describe('unknown addresses', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('answers a browser URL nothing serves with a 404 page in the site layout', async () => {
    const res = await req(t.app, '/no/such/page?x=<script>')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toContain('There is no page at this address.')
    expect(html).not.toContain('<script>')
  })

  it('keeps the JSON error shape for an unknown API route', async () => {
    const res = await req(t.app, '/api/no-such-route')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } })
  })
})

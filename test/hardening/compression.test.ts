import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { chooseEncoding } from '../../src/http/compression.ts'
import { PUBLIC_DIR } from '../../src/http/pages/assets.routes.ts'
import { req, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

function decode(bytes: Uint8Array, coding: string | null): string {
  if (coding === 'br') return brotliDecompressSync(bytes).toString()
  if (coding === 'gzip') return gunzipSync(bytes).toString()
  return new TextDecoder().decode(bytes)
}

describe('chooseEncoding', () => {
  it('prefers br, then gzip, honours q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br')
    expect(chooseEncoding('gzip')).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip')
    expect(chooseEncoding('*')).toBe('br')
    expect(chooseEncoding('identity')).toBeNull()
    expect(chooseEncoding(null)).toBeNull()
  })
})

describe('static files pre-compressed at build time', () => {
  for (const file of ['app.css', 'vendor/htmx.min.js', 'vendor/ext/hx-sse.js']) {
    it(`serves ${file} as br, gzip or identity as the browser accepts, with Vary`, async () => {
      const original = readFileSync(join(PUBLIC_DIR, file)).toString()
      for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
        const res = await req(t.app, `/public/${file}`, { headers: { 'accept-encoding': accept } })
        expect(res.status).toBe(200)
        expect(res.headers.get('content-encoding')).toBe(coding)
        expect(res.headers.get('vary')).toContain('Accept-Encoding')
        const bytes = new Uint8Array(await res.arrayBuffer())
        if (coding) expect(bytes.byteLength).toBeLessThan(original.length / 2)
        expect(decode(bytes, coding)).toBe(original)
      }
    })
  }
})

describe('pages and fragments compressed on the fly', () => {
  it('compresses a page for a browser that accepts br or gzip, and keeps Vary of both', async () => {
    const plain = await req(t.app, '/login')
    const html = await plain.text()
    expect(html.length).toBeGreaterThan(1024)
    expect(plain.headers.get('content-encoding')).toBeNull()
    for (const coding of ['br', 'gzip'] as const) {
      const res = await req(t.app, '/login', { headers: { 'accept-encoding': coding } })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-encoding')).toBe(coding)
      expect(res.headers.get('content-type')).toContain('text/html')
      expect(res.headers.get('vary')).toContain('HX-Request')
      expect(res.headers.get('vary')).toContain('Accept-Encoding')
      const bytes = new Uint8Array(await res.arrayBuffer())
      expect(bytes.byteLength).toBeLessThan(html.length / 2)
      expect(decode(bytes, coding)).toBe(html)
    }
  })

  it('compresses a logged-in page', async () => {
    const user = await signUp(t.app)
    const page = await req(t.app, '/teams', { headers: { cookie: `sage_session=${user.cookie}`, 'accept-encoding': 'gzip' } })
    expect([page.status, page.headers.get('content-encoding')]).toEqual([200, 'gzip'])
    expect(decode(new Uint8Array(await page.arrayBuffer()), 'gzip')).toContain('</html>')
  })
})

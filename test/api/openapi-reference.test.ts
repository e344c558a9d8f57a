import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { ApiReferencePage, apiReferenceModel } from '../../src/views/index.ts'
import { req, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(60_000)

const CTX = { user: null, csrf_token: null, flash: null, path: '/api/docs' }

describe('/api/docs for browsers and for clients', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  it('renders the reference page from the document when the browser asks for HTML', async () => {
    const res = await req(t.app, '/api/docs', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('text/html')
    expect(res.headers.get('vary')).toContain('Accept')
    const html = await res.text()
    expect(html).toContain('<title>API reference · Sage Mode</title>')
    // Every operation has its section, and response bodies link to the schemas.
    const doc = await (await req(t.app, '/api/docs')).json()
    for (const item of Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>)) {
      for (const op of Object.values(item)) expect(html).toContain(`id="op-${op.operationId}"`)
    }
    expect(html).toContain('href="#schema-SessionEnvelope"')
    expect(html).toContain('id="schema-Session"')
    expect(html).toContain('<code>cost_usd</code>')
    // Backticks in the document's descriptions read as code; a request body's fields are listed.
    expect(html).toContain('<code>bad_request</code>')
    expect(html).not.toContain('`bad_request`')
    expect(html).toContain('<caption class="sr-only">Request body of createSession</caption>')
  })

  it('loads nothing from elsewhere and runs no script of its own: only the layout’s same-origin assets', async () => {
    const html = await (await req(t.app, '/api/docs', { headers: { accept: 'text/html' } })).text()
    const sources = [...html.matchAll(/<(?:script|link)\b[^>]*(?:src|href)="([^"]*)"/g)].map((m) => m[1])
    expect(sources.length).toBeGreaterThan(0)
    for (const src of sources) expect(src).toStartWith('/public/')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(html).not.toContain('cdn')
  })

  it('keeps serving JSON to clients: no Accept, */*, application/json, or ?format=json from a browser', async () => {
    for (const init of [{}, { headers: { accept: '*/*' } }, { headers: { accept: 'application/json' } }]) {
      const res = await req(t.app, '/api/docs', init)
      expect(res.headers.get('content-type')).toStartWith('application/json')
      expect((await res.json()).openapi).toBe('3.1.2')
    }
    const res = await req(t.app, '/api/docs?format=json', { headers: { accept: 'text/html' } })
    expect(res.headers.get('content-type')).toStartWith('application/json')
  })

  it('links the reference from every page’s footer', async () => {
    const html = await (await req(t.app, '/login')).text()
    expect(html).toMatch(/<footer[^]*<a href="\/api\/docs">API reference<\/a>[^]*<\/footer>/)
  })
})

describe('the reference page view', () => {
  it('escapes whatever text the document holds', async () => {
    const hostile = '<img src=x onerror=alert(1)>'
    const doc = {
      info: { title: hostile, version: '1', description: hostile, license: { name: hostile } },
      servers: [{ url: hostile }],
      tags: [{ name: 'x<y', description: hostile }],
      paths: { '/api/x': { get: { operationId: 'getX', summary: hostile, tags: ['x<y'], responses: { '200': { description: hostile, content: { 'application/json': { schema: { $ref: '#/components/schemas/X' } } } } } } } },
      components: { schemas: { X: { type: 'object', description: hostile, properties: { [hostile]: { type: 'string', enum: [hostile], description: hostile } } } } },
    }
    const html = await ApiReferencePage({ ctx: CTX, model: apiReferenceModel(doc) })
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('reads types as people write them: named schemas, nullable values, arrays, enums and nested fields', () => {
    const model = apiReferenceModel({
      paths: {},
      components: {
        schemas: {
          S: {
            type: 'object',
            required: ['a'],
            properties: {
              a: { type: ['number', 'null'] },
              b: { type: 'array', items: { $ref: '#/components/schemas/T' } },
              c: { type: 'string', enum: ['x', 'y'] },
              d: { type: 'object', required: ['e'], properties: { e: { type: 'string', format: 'date-time' } } },
              f: {},
            },
          },
        },
      },
    })
    const rows = model.schemas[0]?.fields.map((f) => `${f.name}${f.required ? '' : '?'}: ${f.type.map((p) => p.text).join('')}`)
    expect(rows).toEqual(['a: number | null', 'b?: array of T', 'c?: "x" | "y"', 'd?: object', 'd.e: string (date-time)', 'f?: any JSON'])
    expect(model.schemas[0]?.fields[1]?.type[1]).toEqual({ text: 'T', ref: 'T' })
  })
})

import { brotliCompressSync, constants } from 'node:zlib'
import { Elysia } from 'elysia'

/** An encoding this app answers in. */
export type ContentCoding = 'br' | 'gzip'

/** Bodies smaller than this go out as they are: compressing them saves less than it costs. */
export const COMPRESSION_THRESHOLD_BYTES = 1024

const COMPRESSIBLE = /^(text\/html|text\/css|text\/javascript|application\/json|image\/svg\+xml)\b/

/**
 * The coding to answer in for an `Accept-Encoding` header: `br` over `gzip` when both are
 * acceptable (q > 0, `*` included), null when neither is. Never throws.
 */
export function chooseEncoding(acceptEncoding: string | null): ContentCoding | null {
  if (!acceptEncoding) return null
  const q = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    if (name) q.set(name.trim(), Number.isFinite(value) ? value : 0)
  }
  const accepted = (coding: ContentCoding): boolean => (q.get(coding) ?? q.get('*') ?? 0) > 0
  if (accepted('br')) return 'br'
  if (accepted('gzip')) return 'gzip'
  return null
}

/** `body` compressed with `coding`: brotli at a quality fit for on-the-fly work, gzip at level 6. */
export function compressBytes(body: Uint8Array, coding: ContentCoding, quality: 'fast' | 'best' = 'fast'): Uint8Array {
  if (coding === 'gzip') return Bun.gzipSync(body as Uint8Array<ArrayBuffer>, { level: quality === 'best' ? 9 : 6 })
  return brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: quality === 'best' ? 11 : 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
  })
}

/** Adds `Accept-Encoding` to a response's `Vary`. */
export function varyOnEncoding(headers: Headers): void {
  const vary = headers.get('vary')
  if (!vary) headers.set('vary', 'Accept-Encoding')
  else if (!/\baccept-encoding\b/i.test(vary)) headers.set('vary', `${vary}, Accept-Encoding`)
}

/**
 * `response` compressed for `request` when it is HTML, CSS, JS, JSON or SVG of at least
 * `COMPRESSION_THRESHOLD_BYTES`, not already encoded, and the client accepts br or gzip.
 * Event streams are never touched (each frame must reach the browser when it is written).
 */
export async function compressResponse(request: Request, response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? ''
  if (request.method === 'HEAD' || !response.body || response.headers.has('content-encoding') || !COMPRESSIBLE.test(type)) return response
  if (response.status === 204 || response.status === 304) return response
  const coding = chooseEncoding(request.headers.get('accept-encoding'))
  const headers = new Headers(response.headers)
  varyOnEncoding(headers)
  const body = new Uint8Array(await response.arrayBuffer())
  if (!coding || body.byteLength < COMPRESSION_THRESHOLD_BYTES) return new Response(body, { status: response.status, statusText: response.statusText, headers })
  headers.set('content-encoding', coding)
  headers.delete('content-length')
  return new Response(compressBytes(body, coding) as Uint8Array<ArrayBuffer>, { status: response.status, statusText: response.statusText, headers })
}

/**
 * Compresses pages and fragments (any `Response` a route returns; see `compressResponse`) on
 * the fly. SSE is left uncompressed: a compressor would hold frames back until its buffer
 * fills, unless flushed per frame, and the frames are small.
 */
export function compression() {
  return new Elysia({ name: 'compression' }).mapResponse({ as: 'global' }, ({ request, responseValue }) => {
    if (!(responseValue instanceof Response)) return
    return compressResponse(request, responseValue)
  })
}

import { Elysia } from 'elysia'
import { PayloadTooLargeError } from './errors.ts'

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS'])
const BODY_READERS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Bun's own cap on request bodies (`maxRequestBodySize`): far above any `BODY_LIMIT_BYTES`, so
 * that `bodyLimit` always answers first, with API.md's JSON 413 (Bun's own 413 has no body).
 */
export const SERVER_BODY_CAP = 2 ** 40

// Reads `stream` to its end, or until more than `limit` bytes came (then null, stream cancelled).
async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

// The body was read here: the parser's readers (`request.json()` …) answer from the buffered copy.
function serveBufferedBody(request: Request, bytes: Uint8Array<ArrayBuffer>): void {
  const copy = new Request(request.url, { method: request.method, headers: request.headers, body: bytes })
  for (const name of BODY_READERS) {
    Object.defineProperty(request, name, { configurable: true, value: () => (copy[name] as () => Promise<unknown>).call(copy) })
  }
}

/**
 * Refuses request bodies over `limit` bytes at once with 413 in API.md's shape (and
 * `Connection: close`, so nothing more of the body is read): by `Content-Length` when given,
 * otherwise by reading the (chunked) body here, up to the limit, for the parser to use.
 */
export function bodyLimit(limit: number) {
  return new Elysia({ name: 'body-limit' }).onRequest(async ({ request }) => {
    if (BODILESS.has(request.method)) return
    const length = request.headers.get('content-length')
    if (length !== null) {
      if (!/^\d+$/.test(length) || Number(length) > limit) throw new PayloadTooLargeError(limit)
      return
    }
    if (!request.body) return
    const bytes = await readAtMost(request.body, limit)
    if (bytes === null) throw new PayloadTooLargeError(limit)
    serveBufferedBody(request, bytes)
  })
}

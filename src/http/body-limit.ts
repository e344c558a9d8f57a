import { Elysia } from 'elysia'
import { PayloadTooLargeError } from './errors.ts'

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS'])

// Reads a copy of the body until `limit` is passed; the original stays readable for the parser.
async function exceeds(stream: ReadableStream<Uint8Array>, limit: number): Promise<boolean> {
  const reader = stream.getReader()
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return false
      size += value.byteLength
      if (size > limit) return true
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}

/**
 * Refuses request bodies over `limit` bytes with 413 in API.md's shape: by
 * `Content-Length` when given, otherwise by reading a copy of the (chunked) body.
 * Bun's own `maxRequestBodySize` stays above this as a hard cap.
 */
export function bodyLimit(limit: number) {
  return new Elysia({ name: 'body-limit' }).onRequest(async ({ request }) => {
    if (BODILESS.has(request.method)) return
    const length = request.headers.get('content-length')
    if (length !== null) {
      if (!/^\d+$/.test(length) || Number(length) > limit) throw new PayloadTooLargeError(limit)
      return
    }
    if (request.body && (await exceeds(request.clone().body as ReadableStream<Uint8Array>, limit))) throw new PayloadTooLargeError(limit)
  })
}

const encoder = new TextEncoder()

/**
 * One Server-Sent Events frame: `id:` and `event:` lines, then one `data:` line per
 * line of `data` (the SSE spec; Elysia's own `sse()` prefixes only the first line).
 * Throws when `id` or `event` holds a line break, which would forge a frame.
 */
export function sseFrame(data: string, options: { id?: string; event?: string } = {}): Uint8Array {
  for (const value of [options.id, options.event]) {
    if (value !== undefined && /[\r\n]/.test(value)) throw new Error('An SSE id or event name must be one line.')
  }
  let frame = ''
  if (options.id !== undefined) frame += `id: ${options.id}\n`
  if (options.event) frame += `event: ${options.event}\n`
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`
  return encoder.encode(`${frame}\n`)
}

/** An SSE comment line: ignored by clients; used to flush headers and keep the connection alive. */
export function sseComment(text: string): Uint8Array {
  return encoder.encode(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`)
}

/** The headers of an event stream (never buffered by a proxy, never cached). */
export const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' }

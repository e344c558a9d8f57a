import type { Server } from 'bun'

/**
 * The client's address: the socket's peer, or with `trustProxy` the last
 * `X-Forwarded-For` entry (the one our own proxy appended). Null when unknown, as
 * for in-process requests (`app.handle`).
 */
export function clientIp(request: Request, server: Server<unknown> | null, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = request.headers.get('x-forwarded-for')
    const last = forwarded?.split(',').at(-1)?.trim()
    if (last) return last.slice(0, 64)
  }
  return server?.requestIP(request)?.address ?? null
}

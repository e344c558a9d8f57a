// What a driver says when PostgreSQL or Redis cannot be reached right now (as opposed to a bug):
// socket errors, PostgreSQL's shutdown / cannot-connect-now / too-many-connections codes and
// its connection-exception class (08…), and node-redis's closed-client errors.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ConnectionRefused', 'ConnectionClosed'])
const PG_CODES = /^(57P0[123]|53300|08[0-9A-Z]{3})$/
const NAMES = new Set(['ClientClosedError', 'ClientOfflineError', 'SocketClosedUnexpectedlyError', 'ConnectionTimeoutError', 'ReconnectStrategyError'])
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|The client is (closed|offline)|Socket closed unexpectedly|Connection timeout/i

/** How long a client should wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 5

/** True when `error` (or one of its causes) says a database or Redis is unreachable for now. Never throws. */
export function isServiceUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>()
  let current: unknown = error
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current)
    const e = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown }
    if (typeof e.code === 'string' && (SOCKET_CODES.has(e.code) || PG_CODES.test(e.code))) return true
    if (typeof e.name === 'string' && NAMES.has(e.name)) return true
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true
    if (Array.isArray(e.errors) && e.errors.some((inner) => isServiceUnavailable(inner))) return true
    current = e.cause
  }
  return false
}

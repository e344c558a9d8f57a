import { createParser } from 'eventsource-parser'
import type { ApiClient } from './api-client.ts'
import { CliError } from './cli-error.ts'

/** A session event as `/api/sessions/:id/events` sends it (API.md "Events"). */
export interface CliEvent {
  id: string
  session_id: number
  type: string
  at: string
  data: Record<string, unknown>
}

/** Event types after which nothing more happens to a session. */
export const TERMINAL_TYPES: ReadonlySet<string> = new Set(['session_completed', 'session_failed', 'session_cancelled'])

/** How following reacts to a dropped connection. */
export interface FollowOptions {
  /** Resume after this event id (a previous follow's last one); from the start when absent. */
  afterId?: string
  signal: AbortSignal
  /** Called when the connection dropped and a reconnect is being tried (attempt counts from 1). */
  onReconnect?(attempt: number, reason: string): void
  /** Give up after this many failed reconnects in a row (default 60, about two minutes of backoff). */
  maxReconnects?: number
}

/** Exponential backoff from 250 ms, capped at 2 s. */
function backoffMs(attempt: number): number {
  return Math.min(2000, 250 * 2 ** Math.min(attempt - 1, 3))
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })
}

/**
 * The session's events, in order, each exactly once, until its terminal event. When the
 * stream drops (server restart, network) it reconnects with `Last-Event-ID` set to the last
 * event it yielded, so nothing is lost or repeated. Ends quietly when `signal` aborts; throws
 * CliError when the API refuses (401, 404) or the server stays away.
 */
export async function* followEvents(client: ApiClient, sessionId: number, options: FollowOptions): AsyncGenerator<CliEvent> {
  let lastId = options.afterId ?? null
  let failures = 0
  const max = options.maxReconnects ?? 60
  while (!options.signal.aborted) {
    let res: Response
    try {
      res = await client.fetch('GET', `/api/sessions/${sessionId}/events`, {
        headers: { accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) },
        signal: options.signal,
      })
    } catch (error) {
      if (options.signal.aborted) return
      // Only an unreachable server is worth waiting for; a refusal (401, 404) is final.
      if (!(error instanceof CliError) || !error.message.startsWith('cannot reach')) throw error
      failures += 1
      if (failures > max) throw error
      options.onReconnect?.(failures, 'server unreachable')
      await sleep(backoffMs(failures), options.signal)
      continue
    }
    const queue: CliEvent[] = []
    const parser = createParser({
      onEvent(message) {
        if (!message.data) return
        queue.push(JSON.parse(message.data) as CliEvent)
      },
    })
    let ended = false
    const body = res.body
    if (!body) return
    const reader = body.pipeThrough(new TextDecoderStream()).getReader()
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        parser.feed(value)
        failures = 0
        while (queue.length > 0) {
          const event = queue.shift() as CliEvent
          lastId = event.id
          yield event
          if (TERMINAL_TYPES.has(event.type)) {
            ended = true
            return
          }
        }
      }
    } catch (error) {
      if (options.signal.aborted) return
      options.onReconnect?.(failures + 1, error instanceof Error ? error.message : String(error))
    } finally {
      if (ended || options.signal.aborted) await reader.cancel().catch(() => undefined)
    }
    if (options.signal.aborted) return
    // The server closed the stream without a terminal event (it is stopping): resume where we were.
    failures += 1
    if (failures > max) throw new CliError(`lost the event stream of session ${sessionId} and could not reconnect`)
    await sleep(backoffMs(failures), options.signal)
  }
}

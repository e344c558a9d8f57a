import { type EventFeed, isSessionEnd, type SessionEvent } from '../events/index.ts'
import { sseComment, sseFrame } from './sse-frame.ts'

/** A session's events, or null for a heartbeat when none came for `heartbeatMs`. */
export async function* withHeartbeat(
  events: AsyncGenerator<SessionEvent>,
  heartbeatMs: number,
): AsyncGenerator<SessionEvent | null> {
  let next = events.next()
  try {
    for (;;) {
      let timer: Timer | undefined
      const beat = new Promise<'beat'>((resolve) => {
        timer = setTimeout(() => resolve('beat'), heartbeatMs)
      })
      const result = await Promise.race([next, beat])
      clearTimeout(timer)
      if (result === 'beat') {
        yield null
        continue
      }
      if (result.done) return
      yield result.value
      next = events.next()
    }
  } finally {
    await events.return(undefined)
  }
}

export interface SseStreamOptions {
  feed: EventFeed
  sessionId: number
  afterSeq: number
  /** Aborted when the client goes away or the process shuts down. */
  signal: AbortSignal
  /** One event as the frame's data (JSON or HTML); null to send nothing for it. */
  render(event: SessionEvent): string | null | Promise<string | null>
  /** End the stream after a terminal session event (JSON clients); htmx keeps it open. */
  endAfterTerminal: boolean
  heartbeatMs?: number
}

/**
 * The frames of a session's SSE stream: an `open` comment at once (so headers flush),
 * then each event with its id (for `Last-Event-ID`), and a comment every
 * `heartbeatMs` so idle connections are not cut by timeouts.
 */
export async function* sseSessionFrames(options: SseStreamOptions): AsyncGenerator<Uint8Array> {
  yield sseComment('open')
  const events = options.feed.follow(options.sessionId, options.afterSeq, options.signal)
  for await (const event of withHeartbeat(events, options.heartbeatMs ?? 15_000)) {
    if (options.signal.aborted) return
    if (!event) {
      yield sseComment('ping')
      continue
    }
    const data = await options.render(event)
    if (data !== null) yield sseFrame(data, { id: event.id })
    if (options.endAfterTerminal && isSessionEnd(event.type)) return
  }
}

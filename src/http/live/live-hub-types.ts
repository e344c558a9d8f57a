/**
 * The live hub's contract and the parts its implementation shares: what a client is to the hub
 * (one key per kind of output, so clients of a key share bytes), a session's channel, and the
 * frames every stream starts, pings and ends with.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { EventFeed, SessionEvent } from '../../events/index.ts'
import type { Logger } from '../../log/index.ts'
import type { LiveViewer } from '../pages/live-renderer.tsx'
import { sseComment, sseFrame } from '../sse-frame.ts'
import type { LiveViewState } from './view-state.ts'

/** What a client receives for each event: the event as JSON, or the live page's fragments for a kind of viewer. */
export type LiveFormat = { json: true } | { json: false; viewer: LiveViewer }

/** One client of a session's stream, as the hub writes to it. */
export interface Client {
  /** `json`, or the viewer kind (`r`, `c`, `cm`): clients with the same key get the same bytes. */
  key: string
  viewer: LiveViewer | null
  /** The last event this client has (or had before it came). */
  delivered: number
  /** One event's output: `data` is the frame's payload, `frame` its SSE bytes (made once per key per event). */
  send(out: { event: SessionEvent; data: string; frame: Uint8Array }): void
  /** A heartbeat (SSE comment) for idle connections. */
  ping(): void
  /** The stream ends: `terminal` after the session's end event, false when the hub drops it (the client reconnects). */
  end(terminal: boolean): void
}

export interface Channel {
  sessionId: number
  state: LiveViewState
  /** The last event the feed delivered (the view state may not be folded that far yet). */
  seq: number
  /** False once the session ended (until it is resumed). */
  active: boolean
  /** HTML clients: served in `work`'s order, after the fold. */
  clients: Set<Client>
  /** JSON clients: served as each event arrives, never waiting for a fold's reads. */
  jsonClients: Set<Client>
  /** Stops the channel's one feed subscription. */
  stop: AbortController
  /** Folds, renders and joins run one at a time, so every client sees events in order. */
  work: Promise<void>
  pending: SessionEvent[]
  idle: Timer | null
}

export interface LiveHubDeps {
  db: Kysely<Database>
  feed: EventFeed
  log: Logger
  /** The render time (elapsed times on the cards, the timeline's right edge). */
  clock?: () => Date
  /** How long a session's view state outlives its last client (a reload reconnects at once). */
  idleMs?: number
  heartbeatMs?: number
  /** A client with more frames than this unread is dropped (it reconnects with Last-Event-ID). */
  maxBuffered?: number
}

/** The live streams of one web process: one view state, one render and one encoding per event per session. */
export interface LiveHub {
  /**
   * An SSE body: an `open` comment, then each event after `afterSeq` with its id, a `ping` comment
   * when idle; after the session's terminal event (or at once when it ended and `afterSeq` has it
   * all) a `done` event when `doneEvent`, and the end. Null when the session does not exist.
   */
  sse(sessionId: number, afterSeq: number, format: LiveFormat, signal: AbortSignal, options: { doneEvent: boolean }): Promise<ReadableStream<Uint8Array> | null>
  /** The same events for a WebSocket: `send` gets each non-empty payload; `close` is called once at the end. */
  socket(
    sessionId: number,
    afterSeq: number,
    format: LiveFormat,
    signal: AbortSignal,
    sink: { send(data: string): void; close(reason: 'ended' | 'dropped' | 'shutdown'): void },
  ): Promise<boolean>
  /** Sessions whose view state this process holds. */
  sessions(): number
  /** Clients connected. */
  clients(): number
  close(): Promise<void>
}

/** Events read from the log per page when a client catches up. */
export const PAGE = 500
export const PING = sseComment('ping')
export const OPEN = sseComment('open')
export const DONE = sseFrame('ended', { event: 'done' })

/** The key of a client's output: `json`, or the viewer kind (`r`, `c`, `cm`). */
export function keyOf(format: LiveFormat): string {
  if (format.json) return 'json'
  return `${format.viewer.can_control ? 'c' : 'r'}${format.viewer.can_manage ? 'm' : ''}`
}

/**
 * The three ways `runAgent` fails. Each is a plain `Error` subclass; because class
 * identity does not survive `postMessage` out of a Bun Worker, `agentErrorToJSON` and
 * `agentErrorFromJSON` carry them across as data.
 */

import type { ReplyRecord } from './agent-types.ts'
import { storableValue } from '../validation/storable-text.ts'

/** The calls an attempt made before it failed, raw replies included (see `withReplies`). */
const REPLIES = Symbol('replies')

/** `error` carrying the attempt's calls so far (kept in the failed attempt's snapshot); returns it. */
export function withReplies<E>(error: E, replies: readonly ReplyRecord[]): E {
  if (error instanceof Error) (error as Error & { [REPLIES]?: ReplyRecord[] })[REPLIES] = [...replies]
  return error
}

/** The calls `withReplies` attached to `error`; [] for none. */
export function repliesOf(error: unknown): ReplyRecord[] {
  return error instanceof Error ? ((error as Error & { [REPLIES]?: ReplyRecord[] })[REPLIES] ?? []) : []
}

/** The model's output failed its role's schema, even after the one repair attempt. */
export class AgentOutputError extends Error {
  override name = 'AgentOutputError'
  /** A schema failure counts as a failed attempt; supervision may run the task again. */
  readonly retryable = true
  /** `path: message` lines from the last validation. */
  readonly issues: string[]
  /** The start of the last raw output (at most 2,000 characters), for the snapshot. */
  readonly rawText: string

  constructor(message: string, issues: string[], rawText: string) {
    super(message)
    this.issues = issues
    this.rawText = rawText.slice(0, 2000)
  }
}

/** Options of a `ProviderError`. */
export interface ProviderErrorOptions {
  retryable: boolean
  /** HTTP status when the server answered; null for transport failures. */
  status?: number | null
  /** The server's `Retry-After` in milliseconds, when it sent one. */
  retryAfterMs?: number | null
  cause?: unknown
}

/** The model provider failed: HTTP error, refused connection, broken stream. */
export class ProviderError extends Error {
  override name = 'ProviderError'
  /** True for 408/409/429/5xx and network failures; false for 400/401/403/404 and the like. */
  readonly retryable: boolean
  readonly status: number | null
  readonly retryAfterMs: number | null

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.retryable = options.retryable
    this.status = options.status ?? null
    this.retryAfterMs = options.retryAfterMs ?? null
  }
}

/** The caller's AbortSignal fired (cancel or timeout); nothing was produced. */
export class AbortError extends Error {
  override name = 'AbortError'
  readonly retryable = false
}

/** An agent error as structured-clone-safe data. */
export interface AgentErrorJSON {
  kind: 'output' | 'provider' | 'abort' | 'unknown'
  message: string
  retryable: boolean
  status: number | null
  retryAfterMs: number | null
  issues: string[]
  /** The attempt's calls before it failed, raw replies included (empty when it made none). */
  replies: ReplyRecord[]
}

/** Turns anything `runAgent` threw into data for `postMessage` or a database row. Never throws. */
export function agentErrorToJSON(error: unknown): AgentErrorJSON {
  // Messages can quote what a model server sent: make them storable before they reach jsonb.
  return storableValue({ ...agentErrorData(error), replies: repliesOf(error) }).value
}

function agentErrorData(error: unknown): Omit<AgentErrorJSON, 'replies'> {
  const base = { status: null, retryAfterMs: null, issues: [] as string[] }
  if (error instanceof AgentOutputError) return { ...base, kind: 'output', message: error.message, retryable: true, issues: error.issues }
  if (error instanceof ProviderError) {
    return { ...base, kind: 'provider', message: error.message, retryable: error.retryable, status: error.status, retryAfterMs: error.retryAfterMs }
  }
  if (error instanceof AbortError) return { ...base, kind: 'abort', message: error.message, retryable: false }
  const message = error instanceof Error ? error.message : String(error)
  // An unexpected fault (a bug, a crash) is worth another attempt; supervision caps it.
  return { ...base, kind: 'unknown', message, retryable: true }
}

/** Rebuilds the typed error from `agentErrorToJSON`'s data. */
export function agentErrorFromJSON(json: AgentErrorJSON): Error {
  switch (json.kind) {
    case 'output':
      return new AgentOutputError(json.message, json.issues, '')
    case 'provider':
      return new ProviderError(json.message, { retryable: json.retryable, status: json.status, retryAfterMs: json.retryAfterMs })
    case 'abort':
      return new AbortError(json.message)
    default:
      return new Error(json.message)
  }
}

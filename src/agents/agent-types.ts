import type { BaseOutput } from './output-base.ts'
import type { AgentRole } from './role-ids.ts'

/** A decision already in the session's journal (from a user or an earlier agent). */
export interface JournalDecision {
  text: string
  category: string
  /** `high`/`medium`/`low` for user decisions, 0..1 for agents; optional. */
  confidence?: string | number | null
  /** Who made it: a role id or `user`; optional. */
  source?: string | null
}

/** The validated output of an agent this one depends on. */
export interface UpstreamOutput {
  role: AgentRole
  output: BaseOutput & Record<string, unknown>
}

/** Everything one agent call needs; plain data, safe to `postMessage` into a Worker. */
export interface AgentInput<R extends AgentRole = AgentRole> {
  role: R
  featureName: string
  description: string
  decisions: JournalDecision[]
  upstream: UpstreamOutput[]
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number
  /** What this attempt must change: a reviewer's comment (`changes`) or a fork's feedback; null or absent: nothing. */
  feedback?: string | null
}

/** Tokens of one agent call, as the provider reported or estimated them. */
export interface TokenUsage {
  inputTokens: number
  outputTokens: number
  /** Of `inputTokens`, those read from the provider's prompt cache (priced at the cached rate); absent: none reported. */
  cachedInputTokens?: number
}

/** How an attempt's reply was read: valid at once, after local repair, after the repair call, or not at all. */
export type ReplyOutcome = 'valid' | 'repaired_locally' | 'repaired_by_call' | 'failed'

/** One model call of an attempt, as kept in its snapshot (the raw text size-capped). */
export interface ReplyRecord {
  /** `answer`, `longer` (again with a larger token limit after a reply cut at the limit) or `repair`. */
  purpose: 'answer' | 'longer' | 'repair'
  provider: string
  model: string
  /** The raw reply, at most `RAW_REPLY_LIMIT` characters (16 KiB). */
  text: string
  /** Characters of the full reply (more than `text.length` when it was capped). */
  chars: number
  finishReason: string
  firstTokenMs: number | null
  totalMs: number
  /** Set when the call itself failed (HTTP or transport error). */
  error?: string
  /** True when `text` was left out because it is the output as stored (the simulated provider's valid reply). */
  sameAsOutput?: boolean
}

/** What the agent saw, for its snapshot. */
export interface AgentContextSummary {
  upstreamRoles: AgentRole[]
  decisionsIncluded: number
  decisionsOmitted: number
  promptChars: number
  /** True when something was cut to keep the prompt within its budget. */
  truncated: boolean
}

/** A successful agent call. */
export interface AgentResult<O = BaseOutput> {
  output: O
  /** The model that answered (the provider's id when it reports one). */
  model: string
  provider: string
  /** Summed over the first call and the repair call, if any. */
  usage: TokenUsage
  /** USD; null when the model's price is unknown. */
  costUsd: number | null
  /** True when the first output failed the schema and the repair call fixed it. */
  repaired: boolean
  /** How the reply was read. */
  replyOutcome: ReplyOutcome
  /** Every call of the attempt, raw reply included. */
  replies: ReplyRecord[]
  /** NULs removed and lone surrogates replaced in the validated reply (see `storableText`). */
  replacedCharacters: number
  durationMs: number
  prompt: { system: string; user: string }
  context: AgentContextSummary
}

import { z } from 'zod'
// Loaded in every pool Worker: the runtime's Worker-side entry, not its index.
import { defineJob } from '../actors/worker-side.ts'
import { AGENT_ROLES } from '../agents/index.ts'

/** One model call of an attempt, raw reply size-capped (ReplyRecord). */
const ReplySchema = z.object({
  purpose: z.enum(['answer', 'longer', 'repair']),
  provider: z.string(),
  model: z.string(),
  text: z.string(),
  chars: z.number().int(),
  finishReason: z.string(),
  firstTokenMs: z.number().nullable(),
  totalMs: z.number(),
  error: z.string().optional(),
  sameAsOutput: z.boolean().optional(),
})

const AgentErrorSchema = z.object({
  kind: z.enum(['output', 'provider', 'abort', 'unknown']),
  message: z.string(),
  retryable: z.boolean(),
  status: z.number().nullable(),
  retryAfterMs: z.number().nullable(),
  issues: z.array(z.string()),
  replies: z.array(ReplySchema).default([]),
})

/**
 * One agent attempt on the Worker pool. The input carries everything the model call
 * needs (the Worker has no database); the output is the result or the typed error,
 * so a failure keeps its kind and whether it is worth retrying.
 */
export const RunAgentJob = defineJob('run-agent', {
  input: z.object({
    session_id: z.number().int(),
    task_id: z.number().int(),
    attempt: z.number().int().min(1),
    role: z.enum(AGENT_ROLES),
    feature_name: z.string(),
    description: z.string(),
    decisions: z.array(z.object({ text: z.string(), category: z.string(), source: z.string().nullable() })),
    upstream: z.array(z.object({ role: z.enum(AGENT_ROLES), output: z.record(z.string(), z.unknown()) })),
    /** What this attempt must change: a reviewer's comment or a fork's feedback. */
    feedback: z.string().nullable().optional(),
  }),
  output: z.discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      task_id: z.number().int(),
      attempt: z.number().int(),
      /** The output the role's schema accepted, as JSON text: stored as it is, never parsed again on the node. */
      output_json: z.string(),
      /** Its decisions (one `task_decisions` row each). */
      decisions: z.array(z.object({ text: z.string(), rationale: z.string(), category: z.string() })),
      model: z.string(),
      provider: z.string(),
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      cost_usd: z.number().nullable(),
      duration_ms: z.number(),
      repaired: z.boolean(),
      /** How the reply was read (valid at once, after local repair, after the repair call). */
      reply_outcome: z.enum(['valid', 'repaired_locally', 'repaired_by_call', 'failed']).default('valid'),
      /** Every call of the attempt: raw reply (16 KiB cap), finish reason, timing. */
      replies: z.array(ReplySchema).default([]),
      /** Of input_tokens, those read from the provider's prompt cache. */
      cached_input_tokens: z.number().int().min(0).default(0),
      /** NULs removed and lone surrogates replaced in the reply before validation. */
      replaced_characters: z.number().int().min(0).default(0),
      /** What the agent saw (feature, upstream roles, journal size, the prompt), as JSON text. */
      context_json: z.string(),
    }),
    z.object({ ok: z.literal(false), task_id: z.number().int(), attempt: z.number().int(), error: AgentErrorSchema }),
  ]),
})

export type RunAgentInput = z.output<typeof RunAgentJob.input>
export type RunAgentOutput = z.output<typeof RunAgentJob.output>

/** What a `run-agent` job reports while the model streams (ephemeral, throttled). */
export interface AgentProgress {
  session_id: number
  task_id: number
  role: string
  attempt: number
  /** The `analysis` written so far, when the stream has reached it. */
  analysis: string
  chars: number
}

import type { AgentInput, AgentResult, ReplyOutcome, ReplyRecord, TokenUsage } from './agent-types.ts'
import { AgentOutputError, withReplies } from './errors.ts'
import { parseOutput } from './parse-output.ts'
import { costUsd, DEFAULT_PRICES, type PriceTable } from './pricing.ts'
import { buildPrompt, buildRepairMessage } from './prompt.ts'
import type { ModelProvider, ProviderMessage, ProviderRequest, ProviderResponse } from './providers/index.ts'
import { abortErrorFrom } from './abort.ts'
import { replyRecord, replyRecordOfError } from './reply-record.ts'
import type { RoleDefinition } from './role-definition.ts'
import type { AgentRole } from './role-ids.ts'
import { ROLE_DEFINITIONS, type RoleOutput } from './roles/index.ts'

/** What `runAgent` needs besides its input. */
export interface RunAgentDeps {
  provider: ModelProvider
  /** Cancel or timeout; reaches the HTTP request. */
  signal: AbortSignal
  /** Each streamed text delta (of the first call, then of the repair call if there is one). */
  onChunk?: (textDelta: string) => void
  /** Prices for `costUsd`; default `DEFAULT_PRICES` (build one with `createPriceTable(config.MODEL_PRICES)`). */
  prices?: PriceTable
  /** Clock for `durationMs`; default `performance.now`. */
  now?: () => number
}

/** The token limit of the one call made again after a reply was cut at the limit. */
export const LONGER_REPLY_TOKENS = 16_384

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum: TokenUsage = { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens }
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0)
  if (cached > 0) sum.cachedInputTokens = cached
  return sum
}

/**
 * Runs one agent: builds its prompt, makes one structured-output call and reads the reply
 * (near-JSON repaired locally, enum case mended) against the role's schema. A reply cut at
 * the token limit is asked for once more with a larger limit; a reply that still fails its
 * schema gets exactly one repair call naming the failing paths. Resolves with the typed
 * output, model, usage, cost, how the reply was read (`replyOutcome`) and every call's raw
 * reply (`replies`, size-capped), or rejects with AgentOutputError (unreadable), ProviderError
 * (transport/HTTP, with `retryable`) or AbortError (signal); each error carries the replies
 * so far (`replies`). Pure: no database, no environment; safe inside a Bun Worker.
 */
export async function runAgent<R extends AgentRole>(input: AgentInput<R>, deps: RunAgentDeps): Promise<AgentResult<RoleOutput<R>>> {
  const now = deps.now ?? (() => performance.now())
  const started = now()
  if (deps.signal.aborted) throw abortErrorFrom(deps.signal)
  const role = ROLE_DEFINITIONS[input.role] as RoleDefinition
  const prompt = buildPrompt(input)
  const ask: ProviderMessage = { role: 'user', content: prompt.user }
  const request: Omit<ProviderRequest, 'messages' | 'purpose'> = {
    role: input.role,
    model: deps.provider.modelFor(input.role),
    system: prompt.system,
    sharedSystemChars: prompt.sharedChars,
    schema: role.schema,
    schemaName: `${role.id}_output`,
    schemaDescription: `The ${role.displayName}'s contribution to the feature`,
    input,
    signal: deps.signal,
  }
  const replies: ReplyRecord[] = []
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 }
  const call = async (purpose: ReplyRecord['purpose'], extra: Partial<ProviderRequest>): Promise<ProviderResponse> => {
    const callStarted = performance.now()
    // Timing for providers that report none (the simulated one): the first delta seen here.
    let firstChunkMs: number | null = null
    const onChunk = (delta: string): void => {
      if (firstChunkMs === null && delta.length > 0) firstChunkMs = Math.round(performance.now() - callStarted)
      deps.onChunk?.(delta)
    }
    try {
      const response = await deps.provider.generate({ ...request, purpose: purpose === 'repair' ? 'repair' : 'answer', messages: [ask], onChunk, ...extra })
      response.timing ??= { firstTokenMs: firstChunkMs, totalMs: Math.round(performance.now() - callStarted) }
      replies.push(replyRecord(purpose, deps.provider.name, response))
      usage = addUsage(usage, response.usage)
      return response
    } catch (error) {
      replies.push(replyRecordOfError(purpose, deps.provider.name, request.model, error, performance.now() - callStarted))
      throw withReplies(error, replies)
    }
  }

  let answer = await call('answer', {})
  if (answer.finishReason === 'length') {
    // Cut at the token limit: not invalid, only short. Once more with room; cut again is a failure.
    answer = await call('longer', { maxOutputTokens: Math.max(LONGER_REPLY_TOKENS, answer.usage.outputTokens * 2) })
    if (answer.finishReason === 'length') {
      throw withReplies(new AgentOutputError(`${role.displayName} reply was cut at the token limit twice`, ['the reply was cut at the token limit'], answer.text), replies)
    }
  }
  let parsed = parseOutput(answer.text, role.schema)
  let outcome: ReplyOutcome = parsed.ok ? (parsed.repaired ? 'repaired_locally' : 'valid') : 'failed'
  if (!parsed.ok) {
    const repair = await call('repair', {
      messages: [ask, { role: 'assistant', content: answer.text.slice(0, 12_000) }, { role: 'user', content: buildRepairMessage(parsed.issues) }],
    })
    answer = repair
    parsed = parseOutput(repair.text, role.schema)
    if (!parsed.ok) {
      const message = `${role.displayName} output failed its schema after one repair: ${parsed.issues.slice(0, 3).join('; ')}`
      throw withReplies(new AgentOutputError(message, parsed.issues, repair.text), replies)
    }
    outcome = 'repaired_by_call'
  }

  // The simulated provider's valid reply is the output itself, stored beside it: keep its facts, not its text again.
  const last = replies[replies.length - 1]
  if (deps.provider.name === 'simulated' && outcome === 'valid' && last && answer.provider === undefined) {
    replies[replies.length - 1] = { ...last, text: '', sameAsOutput: true }
  }

  return {
    output: parsed.value as RoleOutput<R>,
    model: answer.model,
    provider: answer.provider ?? deps.provider.name,
    usage,
    costUsd: costUsd(answer.model, usage, deps.prices ?? DEFAULT_PRICES),
    repaired: outcome === 'repaired_by_call',
    replyOutcome: outcome,
    replies,
    replacedCharacters: parsed.replaced,
    durationMs: Math.max(0, Math.round(now() - started)),
    prompt: { system: prompt.system, user: prompt.user },
    context: prompt.context,
  }
}

import type { JobRunContext } from '../actors/worker-side.ts'
import { agentErrorToJSON, type AgentInput, type ModelProvider, type PriceTable, runAgent, systemPromptParts } from '../agents/index.ts'
import { storableText } from '../validation/index.ts'
import type { AgentProgress, RunAgentInput, RunAgentOutput } from './run-agent.job.ts'

/** At most one progress report per attempt this often (each becomes a `task_progress` event). */
const PROGRESS_EVERY_MS = 500
const ANALYSIS = /"analysis"\s*:\s*"((?:[^"\\]|\\.)*)/

/** The `analysis` field of a JSON object still being streamed, unescaped; '' until it starts. */
export function partialAnalysis(text: string): string {
  const match = ANALYSIS.exec(text)
  if (!match?.[1]) return ''
  // Drop a trailing escape cut in half by the stream before unescaping.
  const body = match[1].replace(/\\(u[0-9a-fA-F]{0,3})?$/, '')
  try {
    return JSON.parse(`"${body}"`) as string
  } catch {
    return body
  }
}

/**
 * Runs one agent attempt inside a Worker: the model call, validation and repair, with
 * throttled progress. Never throws for an agent failure: it returns the typed error,
 * so the supervisor knows whether a retry can help.
 */
export async function runAgentAttempt(
  input: RunAgentInput,
  ctx: JobRunContext,
  deps: { provider: ModelProvider; prices: PriceTable },
): Promise<RunAgentOutput> {
  let text = ''
  // The first report waits a full interval too: a fast call reports nothing but its result.
  let lastSent = Date.now()
  const report = (force: boolean): void => {
    const now = Date.now()
    if (!force && now - lastSent < PROGRESS_EVERY_MS) return
    lastSent = now
    const progress: AgentProgress = {
      session_id: input.session_id,
      task_id: input.task_id,
      role: input.role,
      attempt: input.attempt,
      analysis: storableText(partialAnalysis(text)).text,
      chars: text.length,
    }
    ctx.progress(progress)
  }
  const agentInput: AgentInput = {
    role: input.role,
    featureName: input.feature_name,
    description: input.description,
    decisions: input.decisions,
    upstream: input.upstream as AgentInput['upstream'],
    attempt: input.attempt,
    feedback: input.feedback ?? null,
  }
  try {
    const result = await runAgent(agentInput, {
      provider: deps.provider,
      signal: ctx.signal,
      prices: deps.prices,
      onChunk: (delta) => {
        text += delta
        report(false)
      },
    })
    return {
      ok: true,
      task_id: input.task_id,
      attempt: input.attempt,
      // Serialized here, in the Worker: the node stores both as they are.
      output_json: JSON.stringify(result.output),
      decisions: (result.output as { decisions: Array<{ text: string; rationale: string; category: string }> }).decisions,
      model: result.model,
      provider: result.provider,
      input_tokens: result.usage.inputTokens,
      output_tokens: result.usage.outputTokens,
      cost_usd: result.costUsd,
      duration_ms: Math.round(result.durationMs),
      repaired: result.repaired,
      reply_outcome: result.replyOutcome,
      replies: result.replies,
      cached_input_tokens: result.usage.cachedInputTokens ?? 0,
      replaced_characters: result.replacedCharacters,
      // The system prompt's constant head and tail by reference (snapshot_texts, written by the node).
      context_json: JSON.stringify({ ...result.context, prompt: { system_parts: systemPromptParts(input.role, result.prompt.system), user: result.prompt.user } }),
    }
  } catch (error) {
    return { ok: false, task_id: input.task_id, attempt: input.attempt, error: agentErrorToJSON(error) }
  }
}

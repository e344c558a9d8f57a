import type { AgentInput, AgentResult, TokenUsage } from './agent-types.ts'
import { AgentOutputError } from './errors.ts'
import { parseOutput } from './parse-output.ts'
import { costUsd, DEFAULT_PRICES, type PriceTable } from './pricing.ts'
import { buildPrompt, buildRepairMessage } from './prompt.ts'
import type { ModelProvider, ProviderMessage, ProviderRequest } from './providers/index.ts'
import { abortErrorFrom } from './abort.ts'
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

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens }
}

/**
 * Runs one agent: builds its prompt, makes one structured-output call, validates the output
 * against the role's schema, and on failure makes exactly one repair call. Resolves with the
 * typed output, model, usage and cost, or rejects with AgentOutputError (invalid twice),
 * ProviderError (transport/HTTP, with `retryable`) or AbortError (signal). Pure: no database,
 * no environment; safe inside a Bun Worker.
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
    schema: role.schema,
    schemaName: `${role.id}_output`,
    schemaDescription: `The ${role.displayName}'s contribution to the feature`,
    input,
    signal: deps.signal,
    ...(deps.onChunk ? { onChunk: deps.onChunk } : {}),
  }

  const first = await deps.provider.generate({ ...request, purpose: 'answer', messages: [ask] })
  let usage = first.usage
  let model = first.model
  let parsed = parseOutput(first.text, role.schema)
  let repaired = false
  if (!parsed.ok) {
    const second = await deps.provider.generate({
      ...request,
      purpose: 'repair',
      messages: [ask, { role: 'assistant', content: first.text.slice(0, 12_000) }, { role: 'user', content: buildRepairMessage(parsed.issues) }],
    })
    usage = addUsage(usage, second.usage)
    model = second.model
    parsed = parseOutput(second.text, role.schema)
    if (!parsed.ok) {
      throw new AgentOutputError(`${role.displayName} output failed its schema after one repair: ${parsed.issues.slice(0, 3).join('; ')}`, parsed.issues, second.text)
    }
    repaired = true
  }

  return {
    output: parsed.value as RoleOutput<R>,
    model,
    provider: deps.provider.name,
    usage,
    costUsd: costUsd(model, usage, deps.prices ?? DEFAULT_PRICES),
    repaired,
    replacedCharacters: parsed.replaced,
    durationMs: Math.max(0, Math.round(now() - started)),
    prompt: { system: prompt.system, user: prompt.user },
    context: prompt.context,
  }
}

import { ProviderError } from '../errors.ts'
import type { RoleDefinition } from '../role-definition.ts'
import type { AgentRole } from '../role-ids.ts'
import { ROLE_DEFINITIONS } from '../roles/index.ts'
import { mismatchFor, parseSimDirectives, simDirectiveFor } from '../sim-directives.ts'
import { abortErrorFrom, abortableSleepUntil, waitForAbort } from '../abort.ts'
import type { ModelProvider, ProviderRequest, ProviderResponse } from './provider.ts'
import { createSimContext } from './sim-context.ts'
import { createRandom, hashText } from './sim-random.ts'

/** Options of the simulated provider. */
export interface SimulatedProviderOptions {
  /** Per-call latency; a range gives a deterministic value inside it (`SIM_LATENCY_MS`). */
  latencyMs: { min: number; max: number }
  /** Model name to report (`MODEL_NAME`), recorded as `simulated/<name>`; default `simulated`. */
  model?: string
  /** Per-role model names (`MODEL_OVERRIDES`). */
  overrides?: Partial<Record<AgentRole, string>>
  /** Called for a `[sim:crash=…]` directive; a Worker passes `() => process.exit(1)`. Default: throws. */
  onCrash?: () => void
}

/** ~4 characters per token, the usual rule of thumb for English and JSON. */
function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4)
}

function seedOf(request: ProviderRequest): number {
  const { input } = request
  // The attempt is left out on purpose: a retried or redelivered call writes the same content.
  // Feedback (a reviewer's or a fork's) changes the content; without it the seed is what it always was.
  const parts: unknown[] = [input.role, input.featureName, input.description, input.decisions.map((d) => [d.text, d.category]), input.upstream]
  if (input.feedback) parts.push(input.feedback)
  return hashText(JSON.stringify(parts))
}

function invalidVersion(valid: Record<string, unknown>): Record<string, unknown> {
  // Out-of-range confidence and no decisions: fails the schema but is still JSON, the usual model slip.
  return { ...valid, confidence: 1.7, decisions: [] }
}

/**
 * The offline provider: deterministic output for the same input (seeded from a hash of
 * it), role-specific content written from the feature text and upstream outputs, streamed
 * in chunks over the configured latency. Honours the signal and the `[sim:…]` directives
 * (see `sim-directives.ts`).
 */
export function createSimulatedProvider(options: SimulatedProviderOptions): ModelProvider {
  // Recorded as `simulated`, or `simulated/<name>` when a name is configured: pages tell simulated output
  // by it, and a price table entry for `<name>` still prices it (priceFor looks past a `vendor/` prefix).
  const modelFor = (role: AgentRole): string => {
    const name = options.overrides?.[role] ?? options.model
    return name === undefined || name === 'simulated' ? 'simulated' : `simulated/${name}`
  }
  return {
    name: 'simulated',
    modelFor,
    async generate(request: ProviderRequest): Promise<ProviderResponse> {
      const { signal } = request
      if (signal.aborted) throw abortErrorFrom(signal)
      const directives = parseSimDirectives(`${request.input.featureName}\n${request.input.description}`)
      const directive = simDirectiveFor(directives, request.role, request.input.attempt)
      if (directive === 'fail') throw new ProviderError('simulated provider failure (HTTP 503)', { retryable: true, status: 503 })
      if (directive === 'fatal') throw new ProviderError('simulated provider rejected the request (HTTP 400)', { retryable: false, status: 400 })
      if (directive === 'hang') return waitForAbort(signal)
      if (directive === 'crash') {
        options.onCrash?.()
        throw new Error('simulated crash')
      }

      const seed = seedOf(request)
      const role = ROLE_DEFINITIONS[request.role] as RoleDefinition
      const mismatch = mismatchFor(directives, request.role, request.input.attempt)
      const valid = role.simulate(createSimContext(request.input, createRandom(seed), { mismatch })) as Record<string, unknown>
      let text: string
      if (directive === 'garbage') {
        text = request.purpose === 'answer' ? `Sure! Here is my plan: ${JSON.stringify(valid).slice(0, 80)}` : JSON.stringify({ analysis: 'incomplete' })
      } else if (directive === 'invalid' && request.purpose === 'answer') {
        text = JSON.stringify(invalidVersion(valid))
      } else {
        text = JSON.stringify(valid)
      }

      const { min, max } = options.latencyMs
      const latency = min + Math.floor(createRandom(seed ^ 0x5bd1e995)() * (max - min + 1))
      const chunks = Math.max(1, Math.min(24, Math.ceil(text.length / 160)))
      const size = Math.ceil(text.length / chunks)
      // Each chunk waits for its own deadline on one clock: sleeping `latency / chunks` each time
      // would add up the timers' rounding and end the call short of its latency.
      const started = performance.now()
      for (let i = 0; i < chunks; i++) {
        await abortableSleepUntil(started + (latency * (i + 1)) / chunks, signal)
        request.onChunk?.(text.slice(i * size, (i + 1) * size))
      }
      const promptChars = request.system.length + request.messages.reduce((n, m) => n + m.content.length, 0)
      return { text, model: modelFor(request.role), usage: { inputTokens: estimateTokens(promptChars), outputTokens: estimateTokens(text.length) } }
    },
  }
}

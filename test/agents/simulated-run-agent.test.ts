import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import {
  AbortError,
  AGENT_ROLES,
  AgentOutputError,
  createPriceTable,
  createSimulatedProvider,
  ProviderError,
  repliesOf,
  ROLE_DEFINITIONS,
  runAgent,
} from '../../src/agents/index.ts'
import { FEATURES, inputFor, runAllRoles } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const instant = createSimulatedProvider({ latencyMs: { min: 0, max: 0 } })
const live = (): AbortSignal => new AbortController().signal

describe('runAgent with the simulated provider', () => {
  it('returns schema-valid output with model, usage and cost for every role', async () => {
    for (const feature of FEATURES) {
      const outputs = await runAllRoles(instant, feature)
      for (const { role, output } of outputs) expect(ROLE_DEFINITIONS[role].schema.safeParse(output).success).toBe(true)
    }
    const result = await runAgent(inputFor('software_architect'), { provider: instant, signal: live() })
    expect(result).toMatchObject({ model: 'simulated', provider: 'simulated', costUsd: 0, repaired: false })
    expect(result.usage.inputTokens).toBeGreaterThan(100)
    expect(result.usage.outputTokens).toBeGreaterThan(100)
    expect(result.output.component_diagram).toStartWith('flowchart')
  })

  it('is deterministic for the same input, whatever the attempt', async () => {
    const a = await runAllRoles(instant, FEATURES[1])
    const b = await runAllRoles(instant, FEATURES[1])
    expect(b).toEqual(a)
    const first = await runAgent({ ...inputFor('ui_ux_designer'), upstream: a.slice(0, 2) }, { provider: instant, signal: live() })
    const retry = await runAgent({ ...inputFor('ui_ux_designer'), upstream: a.slice(0, 2), attempt: 3 }, { provider: instant, signal: live() })
    expect(retry.output).toEqual(first.output)
  })

  it('writes different, feature-specific content for different features', async () => {
    const invoices = await runAgent(inputFor('backend_developer', FEATURES[0]), { provider: instant, signal: live() })
    const chat = await runAgent(inputFor('backend_developer', FEATURES[1]), { provider: instant, signal: live() })
    expect(invoices.output).not.toEqual(chat.output)
    expect(invoices.output.endpoints.map((e) => e.path)).toContain('/api/invoice-exports')
    expect(chat.output.endpoints.map((e) => e.path)).toContain('/api/team-chats')
    const dba = await runAgent(inputFor('database_administrator', FEATURES[2]), { provider: instant, signal: live() })
    expect(dba.output.schema_changes[0]?.sql).toContain('CREATE TABLE photo_uploads')
  })

  it("builds on the upstream agents' decisions", async () => {
    const [architect] = await runAllRoles(instant, FEATURES[0])
    const backend = await runAgent({ ...inputFor('backend_developer'), upstream: [architect!] }, { provider: instant, signal: live() })
    const decisionTexts = architect!.output.decisions.map((d) => d.text)
    expect(decisionTexts.some((t) => backend.output.approach.includes(t))).toBe(true)
  })

  it('streams its output in several chunks that add up to the answer', async () => {
    const chunks: string[] = []
    const result = await runAgent(inputFor('security_specialist'), { provider: instant, signal: live(), onChunk: (c) => chunks.push(c) })
    expect(chunks.length).toBeGreaterThan(3)
    expect(JSON.parse(chunks.join(''))).toEqual(result.output)
  })

  it('repairs a schema-invalid first output once and reports it', async () => {
    const input = inputFor('backend_developer', { name: 'Invoice export [sim:invalid=backend_developer]', description: '' })
    const result = await runAgent(input, { provider: instant, signal: live() })
    const clean = await runAgent(inputFor('backend_developer', { name: 'Invoice export', description: '' }), { provider: instant, signal: live() })
    expect(result.repaired).toBe(true)
    expect(ROLE_DEFINITIONS.backend_developer.schema.safeParse(result.output).success).toBe(true)
    expect(result.usage.outputTokens).toBeGreaterThan(clean.usage.outputTokens)
    // Both replies kept: the invalid one as it came, the repaired one too (it was not valid at once).
    expect(result.replyOutcome).toBe('repaired_by_call')
    expect(result.replies.map((r) => [r.purpose, r.text.length > 0])).toEqual([
      ['answer', true],
      ['repair', true],
    ])
    // A reply valid at once is the stored output itself: its facts are kept, not its text a second time.
    expect(clean.replyOutcome).toBe('valid')
    expect(clean.replies).toMatchObject([{ purpose: 'answer', provider: 'simulated', text: '', sameAsOutput: true, finishReason: 'stop' }])
    expect(clean.replies[0]?.chars).toBeGreaterThan(100)
    expect(clean.replies[0]?.firstTokenMs).not.toBeNull()
  })

  it('rejects with AgentOutputError when the repair is invalid too', async () => {
    const input = inputFor('ui_ux_designer', { name: 'Chat [sim:garbage=ui_ux_designer]', description: '' })
    const error = await runAgent(input, { provider: instant, signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AgentOutputError)
    expect((error as AgentOutputError).issues.length).toBeGreaterThan(0)
    expect(repliesOf(error).map((r) => r.purpose)).toEqual(['answer', 'repair'])
    expect(repliesOf(error).every((r) => r.text.length > 0 && !r.sameAsOutput)).toBe(true)
  })

  it('fails with a retryable ProviderError for the attempts a fail directive names, then succeeds', async () => {
    const feature = { name: 'Chat [sim:fail=it_administrator:2]', description: '' }
    for (const attempt of [1, 2]) {
      const error = await runAgent(inputFor('it_administrator', feature, attempt), { provider: instant, signal: live() }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderError)
      expect((error as ProviderError).retryable).toBe(true)
      expect((error as ProviderError).status).toBe(503)
    }
    const third = await runAgent(inputFor('it_administrator', feature, 3), { provider: instant, signal: live() })
    expect(third.output.deployment_steps.length).toBeGreaterThan(0)
    // Other roles are untouched by the directive.
    await runAgent(inputFor('software_architect', feature), { provider: instant, signal: live() })
  })

  it('fails with a non-retryable ProviderError for a fatal directive', async () => {
    const error = await runAgent(inputFor('software_architect', { name: 'x [sim:fatal=*]', description: '' }), { provider: instant, signal: live() }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).retryable).toBe(false)
  })

  it('rejects with AbortError when the signal aborts mid-stream, and stops streaming', async () => {
    const slow = createSimulatedProvider({ latencyMs: { min: 400, max: 400 } })
    const controller = new AbortController()
    const chunks: string[] = []
    const run = runAgent(inputFor('frontend_developer'), {
      provider: slow,
      signal: controller.signal,
      onChunk: (c) => {
        chunks.push(c)
        if (chunks.length === 2) controller.abort(new Error('cancelled by user'))
      },
    })
    const error = await run.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect((error as AbortError).message).toContain('cancelled by user')
    expect(chunks.length).toBe(2)
  })

  it('takes the configured latency, not less, however many chunks it streams', async () => {
    const provider = createSimulatedProvider({ latencyMs: { min: 250, max: 250 } })
    let chunks = 0
    const started = performance.now()
    await runAgent(inputFor('backend_developer'), { provider, signal: live(), onChunk: () => chunks++ })
    expect(chunks).toBeGreaterThan(2)
    expect(performance.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('rejects at once with AbortError when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(runAgent(inputFor('software_architect'), { provider: instant, signal: controller.signal })).rejects.toBeInstanceOf(AbortError)
  })

  it('hangs on a hang directive until the signal times out', async () => {
    const error = await runAgent(inputFor('security_specialist', { name: 'x [sim:hang=security_specialist]', description: '' }), {
      provider: instant,
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
  })

  it('calls the crash hook on a crash directive', async () => {
    let crashed = 0
    const provider = createSimulatedProvider({ latencyMs: { min: 0, max: 0 }, onCrash: () => crashed++ })
    await runAgent(inputFor('database_administrator', { name: 'x [sim:crash=database_administrator]', description: '' }), { provider, signal: live() }).catch(
      () => undefined,
    )
    expect(crashed).toBe(1)
  })

  it('reports per-role model overrides and prices them from the table', async () => {
    const provider = createSimulatedProvider({ latencyMs: { min: 0, max: 0 }, model: 'sim-large', overrides: { security_specialist: 'gpt-4o' } })
    const prices = createPriceTable('{"sim-large":{"input":1,"output":2}}')
    const sec = await runAgent(inputFor('security_specialist'), { provider, signal: live(), prices })
    const arch = await runAgent(inputFor('software_architect'), { provider, signal: live(), prices })
    expect(sec.model).toBe('simulated/gpt-4o')
    expect(sec.costUsd).toBeCloseTo((sec.usage.inputTokens * 2.5 + sec.usage.outputTokens * 10) / 1e6, 10)
    expect(arch.model).toBe('simulated/sim-large')
    expect(arch.costUsd).toBeCloseTo((arch.usage.inputTokens + arch.usage.outputTokens * 2) / 1e6, 10)
  })

  it('covers every role id in the simulated provider', () => {
    expect(Object.keys(ROLE_DEFINITIONS).sort()).toEqual([...AGENT_ROLES].sort())
  })
})

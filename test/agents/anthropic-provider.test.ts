import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import {
  AbortError,
  AgentOutputError,
  createAnthropicProvider,
  createProvider,
  createSimulatedProvider,
  ProviderError,
  runAgent,
} from '../../src/agents/index.ts'
import { testConfig } from '../support/engines.ts'
import {
  anthropicStream,
  errorReply,
  eventually,
  type FakeModelServer,
  hangReply,
  rawSse,
  startFakeModelServer,
} from './support/fake-model-server.ts'
import { inputFor } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let server: FakeModelServer
let validJson: string

beforeAll(async () => {
  server = startFakeModelServer()
  const sim = await runAgent(inputFor('security_specialist'), {
    provider: createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }),
    signal: new AbortController().signal,
  })
  validJson = JSON.stringify(sim.output)
})
afterAll(() => server.stop())

function provider(model = 'claude-sonnet-4-5', maxRetries = 0) {
  return createAnthropicProvider({ baseURL: `${server.url}/v1`, apiKey: 'sk-ant-test', model, maxRetries })
}
const live = (): AbortSignal => new AbortController().signal

/** Where the SDK put the role schema: native structured output, or the forced `json` tool. */
function sentSchema(body: Record<string, unknown>): { properties: Record<string, unknown>; required: string[] } {
  const native = (body.output_config as { format?: { type: string; schema: never } } | undefined)?.format
  if (native) {
    expect(native.type).toBe('json_schema')
    return native.schema
  }
  const tool = (body.tools as { name: string; input_schema: never }[]).find((t) => t.name === 'json')
  expect(tool).toBeDefined()
  return tool!.input_schema
}

describe('Anthropic provider against a messages-API stand-in', () => {
  it('sends model, key, version, system prompt and the role schema, and parses the streamed answer', async () => {
    server.reply(anthropicStream(validJson, { usage: [400, 200] }))
    const result = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() })

    const [req] = server.requests
    expect(req?.path).toBe('/v1/messages')
    expect(req?.headers['x-api-key']).toBe('sk-ant-test')
    expect(req?.headers['anthropic-version']).toBeString()
    const body = req?.body as {
      model: string
      stream: boolean
      system: { text: string; cache_control?: unknown }[]
      messages: { role: string; content: { text: string }[] }[]
      max_tokens: number
    }
    expect(body.model).toBe('claude-sonnet-4-5')
    expect(body.stream).toBe(true)
    expect(body.max_tokens).toBeGreaterThan(0)
    expect(body.system.map((s) => s.text).join('')).toContain('You are the Security Specialist')
    // The head every agent of the session shares is a cache breakpoint; the role's part follows, unmarked.
    expect(body.system).toHaveLength(2)
    expect(body.system[0]?.text).toContain('# Feature: Invoice export')
    expect(body.system[0]?.cache_control).toEqual({ type: 'ephemeral' })
    expect(body.system[1]?.text).toContain('You are the Security Specialist')
    expect(body.system[1]?.cache_control).toBeUndefined()
    expect(body.messages[0]?.content[0]?.text).toContain('# Your task')
    expect(req?.body.output_config).toBeDefined()
    const schema = sentSchema(req!.body)
    expect(schema.required).toContain('vulnerabilities')
    expect(Object.keys(schema.properties)).toContain('risk_level')

    expect(result.output).toEqual(JSON.parse(validJson))
    expect(result.model).toBe('claude-sonnet-4-5')
    expect(result.usage).toEqual({ inputTokens: 400, outputTokens: 200 })
    expect(result.costUsd).toBeCloseTo((400 * 3 + 200 * 15) / 1e6, 10)
  })

  it('streams through the JSON tool on a model without native structured output', async () => {
    server.reply(anthropicStream(validJson, { model: 'claude-3-haiku-20240307', chunks: 6 }))
    const chunks: string[] = []
    const result = await runAgent(inputFor('security_specialist'), {
      provider: provider('claude-3-haiku-20240307'),
      signal: live(),
      onChunk: (c) => chunks.push(c),
    })
    expect(sentSchema(server.requests[0]!.body).required).toContain('mitigations')
    expect(server.requests[0]?.body.output_config).toBeUndefined()
    expect(chunks.join('')).toBe(validJson)
    expect(chunks.length).toBeGreaterThan(1)
    expect(result.output).toEqual(JSON.parse(validJson))
  })

  it('forwards each streamed text delta to onChunk in order', async () => {
    server.reply(anthropicStream(validJson, { chunks: 8 }))
    const chunks: string[] = []
    await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live(), onChunk: (c) => chunks.push(c) })
    expect(chunks).toHaveLength(8)
    expect(chunks.join('')).toBe(validJson)
  })

  it('reports a 429 with Retry-After as retryable, and succeeds after it with transport retries', async () => {
    const limited = errorReply(429, { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limited' } }, { 'retry-after': '3' })
    server.reply(limited)
    const error = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ProviderError', status: 429, retryable: true, retryAfterMs: 3000 })

    server.reply(errorReply(429, { type: 'error', error: { type: 'rate_limit_error', message: 'x' } }, { 'retry-after': '0' }), anthropicStream(validJson))
    const result = await runAgent(inputFor('security_specialist'), { provider: provider('claude-sonnet-4-5', 1), signal: live() })
    expect(server.requests).toHaveLength(2)
    expect(result.output).toEqual(JSON.parse(validJson))
  })

  it('reports 500 and 529 as retryable, 400 as not', async () => {
    for (const [status, retryable] of [
      [500, true],
      [529, true],
      [400, false],
    ] as const) {
      server.reply(errorReply(status, { type: 'error', error: { type: 'api_error', message: `status ${status}` } }))
      const error = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ProviderError)
      expect(error).toMatchObject({ status, retryable })
    }
  })

  it('reports an error event in the middle of the stream as a ProviderError', async () => {
    server.reply(
      rawSse(
        `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } })}\n\n`,
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
      ),
    )
    const error = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).message).toContain('Overloaded')
  })

  it('aborts a hung server through the signal, closing the HTTP request', async () => {
    server.reply(hangReply())
    const error = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: AbortSignal.timeout(150) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
    await eventually(() => server.requests[0]?.aborted === true)
  })

  it('repairs schema-invalid JSON once, then fails with AgentOutputError when it stays invalid', async () => {
    const invalid = JSON.stringify({ ...JSON.parse(validJson), risk_level: 'apocalyptic' })
    server.reply(anthropicStream(invalid), anthropicStream(validJson))
    const repaired = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() })
    expect(repaired.repaired).toBe(true)
    const messages = server.requests[1]?.body.messages as { role: string }[]
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])

    server.reply(anthropicStream(invalid))
    const error = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AgentOutputError)
    expect((error as AgentOutputError).issues.join(' ')).toContain('risk_level')
  })

  it('passes the prompt-cache reads Anthropic reports through to the usage', async () => {
    server.reply(anthropicStream(validJson, { usage: [300, 200], cacheRead: 2048 }))
    const result = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() })
    expect(result.usage.cachedInputTokens).toBe(2048)
    expect(result.usage.outputTokens).toBe(200)
  })

  it('asks again with a larger max_tokens after a reply cut at max_tokens', async () => {
    server.reply(anthropicStream(validJson.slice(0, 200), { stopReason: 'max_tokens' }), anthropicStream(validJson))
    const result = await runAgent(inputFor('security_specialist'), { provider: provider(), signal: live() })
    expect(result.replies.map((r) => [r.purpose, r.finishReason])).toEqual([
      ['answer', 'length'],
      ['longer', 'stop'],
    ])
    expect(server.requests[1]?.body.max_tokens).toBeGreaterThanOrEqual(16_384)
  })

  it('is what createProvider builds from MODEL_PROVIDER=anthropic', () => {
    const p = createProvider(testConfig({ MODEL_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: server.url }))
    expect(p.name).toBe('anthropic')
    expect(p.modelFor('software_architect')).toBe('claude-sonnet-4-5')
  })
})

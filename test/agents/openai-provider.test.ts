import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import {
  AbortError,
  AgentOutputError,
  createOpenAIProvider,
  createProvider,
  createSimulatedProvider,
  ProviderError,
  runAgent,
} from '../../src/agents/index.ts'
import { testConfig } from '../support/engines.ts'
import { errorReply, eventually, type FakeModelServer, hangReply, openaiStream, rawSse, startFakeModelServer } from './support/fake-model-server.ts'
import { inputFor } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let server: FakeModelServer
let validJson: string

beforeAll(async () => {
  server = startFakeModelServer()
  const sim = await runAgent(inputFor('backend_developer'), {
    provider: createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }),
    signal: new AbortController().signal,
  })
  validJson = JSON.stringify(sim.output)
})
afterAll(() => server.stop())

function provider(maxRetries = 0) {
  return createOpenAIProvider({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-123', model: 'gpt-4o', maxRetries })
}
const live = (): AbortSignal => new AbortController().signal

describe('OpenAI-compatible provider against a chat-completions stand-in', () => {
  it('sends model, auth, messages and the role schema, and parses the streamed answer', async () => {
    server.reply(openaiStream(validJson, { model: 'gpt-4o-2024-08-06', usage: [321, 123] }))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() })

    expect(server.requests).toHaveLength(1)
    const [req] = server.requests
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe('/v1/chat/completions')
    expect(req?.headers.authorization).toBe('Bearer sk-test-123')
    const body = req?.body as {
      model: string
      stream: boolean
      stream_options: unknown
      messages: { role: string; content: string }[]
      response_format: { type: string; json_schema: { name: string; schema: { properties: Record<string, unknown>; required: string[] } } }
    }
    expect(body.model).toBe('gpt-4o')
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user'])
    expect(body.messages[0]?.content).toContain('You are the Backend Developer')
    // One system message, the session's shared head first (OpenAI caches prompt prefixes by itself).
    expect(body.messages[0]?.content.indexOf('# Feature: Invoice export')).toBeLessThan(body.messages[0]?.content.indexOf('You are the Backend Developer') ?? 0)
    expect(body.messages[1]?.content).toContain('# Your task')
    expect(body.response_format.type).toBe('json_schema')
    expect(body.response_format.json_schema.name).toBe('backend_developer_output')
    expect(body.response_format.json_schema.schema.required).toContain('endpoints')
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toContain('confidence')

    expect(result.output).toEqual(JSON.parse(validJson))
    expect(result.model).toBe('gpt-4o-2024-08-06')
    expect(result.usage).toEqual({ inputTokens: 321, outputTokens: 123 })
    expect(result.costUsd).toBeCloseTo((321 * 2.5 + 123 * 10) / 1e6, 10)
    expect(result.repaired).toBe(false)
  })

  it('forwards each streamed delta to onChunk in order', async () => {
    server.reply(openaiStream(validJson, { chunks: 7 }))
    const chunks: string[] = []
    await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live(), onChunk: (c) => chunks.push(c) })
    expect(chunks.length).toBe(7)
    expect(chunks.join('')).toBe(validJson)
  })

  it('estimates usage when the server reports none', async () => {
    server.reply(openaiStream(validJson, { usage: null }))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() })
    expect(result.usage.outputTokens).toBe(Math.ceil(validJson.length / 4))
    expect(result.usage.inputTokens).toBeGreaterThan(100)
  })

  it('reports a 429 as a retryable ProviderError carrying Retry-After', async () => {
    server.reply(errorReply(429, { error: { message: 'Rate limit reached', type: 'rate_limit' } }, { 'retry-after': '7' }))
    const error = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 })
  })

  it('succeeds after a 429 when transport retries are enabled, honouring Retry-After', async () => {
    server.reply(errorReply(429, { error: { message: 'slow down' } }, { 'retry-after': '0' }), openaiStream(validJson))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(1), signal: live() })
    expect(server.requests).toHaveLength(2)
    expect(result.output).toEqual(JSON.parse(validJson))
  })

  it('reports a 500 as retryable and a 401 as not retryable', async () => {
    server.reply(errorReply(500, { error: { message: 'internal' } }))
    const e500 = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(e500).toMatchObject({ name: 'ProviderError', status: 500, retryable: true })
    server.reply(errorReply(401, { error: { message: 'bad key' } }))
    const e401 = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(e401).toMatchObject({ name: 'ProviderError', status: 401, retryable: false })
  })

  it('aborts a hung server through the signal, closing the HTTP request', async () => {
    server.reply(hangReply())
    const error = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: AbortSignal.timeout(150) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortError)
    await eventually(() => server.requests[0]?.aborted === true)
  })

  it('aborts a stream that stalls midway, after the first deltas arrived', async () => {
    server.reply(openaiStream(validJson, { chunks: 6, hangAfter: 2 }))
    const chunks: string[] = []
    const controller = new AbortController()
    const run = runAgent(inputFor('backend_developer'), {
      provider: provider(),
      signal: controller.signal,
      onChunk: (c) => {
        chunks.push(c)
        if (chunks.length === 2) setTimeout(() => controller.abort(new Error('task timed out')), 10)
      },
    })
    expect(run).rejects.toBeInstanceOf(AbortError)
    await run.catch(() => undefined)
    expect(chunks).toHaveLength(2)
  })

  it('reports a malformed stream chunk as a retryable ProviderError', async () => {
    server.reply(rawSse('data: {"id":"x","choices":[{"index":0,"delta":{"content":"{"}}]}\n\n', 'data: {this is not json\n\n'))
    const error = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).retryable).toBe(true)
  })

  it('repairs schema-invalid JSON with one follow-up call that shows the model its mistakes', async () => {
    const invalid = JSON.stringify({ ...JSON.parse(validJson), confidence: 7, endpoints: [] })
    server.reply(openaiStream(invalid, { usage: [100, 50] }), openaiStream(validJson, { usage: [200, 60] }))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() })
    expect(result.repaired).toBe(true)
    expect(result.output).toEqual(JSON.parse(validJson))
    expect(result.usage).toEqual({ inputTokens: 300, outputTokens: 110 })
    const messages = server.requests[1]?.body.messages as { role: string; content: string }[]
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user'])
    expect(messages[2]?.content).toBe(invalid)
    expect(messages[3]?.content).toContain('confidence')
    expect(messages[3]?.content).toContain('endpoints')
  })

  it('fails with AgentOutputError when the answer is not JSON twice', async () => {
    server.reply(openaiStream('Sure! Here are the endpoints you asked for.'))
    const error = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AgentOutputError)
    expect((error as AgentOutputError).issues).toEqual(['the reply is not a JSON object'])
    expect(server.requests).toHaveLength(2)
  })

  it('accepts JSON wrapped in a Markdown fence', async () => {
    server.reply(openaiStream(`\`\`\`json\n${validJson}\n\`\`\``))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() })
    expect(result.repaired).toBe(false)
  })

  it('reports a refused connection as a retryable ProviderError without a status', async () => {
    const gone = startFakeModelServer()
    const url = gone.url
    await gone.stop()
    const p = createOpenAIProvider({ baseURL: url, model: 'llama3' })
    const error = await runAgent(inputFor('backend_developer'), { provider: p, signal: live() }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ProviderError', status: null, retryable: true })
  })

  it('is what createProvider builds from MODEL_PROVIDER=openai, with per-role overrides and /v1 added', async () => {
    const config = testConfig({
      MODEL_PROVIDER: 'openai',
      OPENAI_BASE_URL: server.url,
      MODEL_NAME: 'llama3.1',
      MODEL_OVERRIDES: 'security_specialist=qwen2.5',
    })
    const p = createProvider(config)
    expect(p.name).toBe('openai')
    expect(p.modelFor('security_specialist')).toBe('qwen2.5')
    server.reply(openaiStream(validJson, { model: 'llama3.1' }))
    const result = await runAgent(inputFor('backend_developer'), { provider: p, signal: live() })
    expect(server.requests[0]?.path).toBe('/v1/chat/completions')
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
    expect(server.requests[0]?.body.model).toBe('llama3.1')
    expect(result.costUsd).toBeNull()
  })
})

describe('local OpenAI-compatible servers (vLLM, Ollama, LM Studio)', () => {
  const vllmRefusal = errorReply(400, {
    object: 'error',
    message: "response_format type 'json_schema' is not supported by this model",
    type: 'BadRequestError',
    param: null,
    code: 400,
  })

  it('falls back to plain JSON instructions when the server refuses the JSON schema (auto), and remembers it', async () => {
    server.reply(vllmRefusal, openaiStream(validJson, { model: 'Qwen/Qwen2.5-7B-Instruct' }))
    const local = createOpenAIProvider({ baseURL: server.url, model: 'Qwen/Qwen2.5-7B-Instruct', jsonSchema: 'auto' })
    const result = await runAgent(inputFor('backend_developer'), { provider: local, signal: live() })
    expect(server.requests).toHaveLength(2)
    expect(server.requests[0]?.body.response_format).toBeDefined()
    expect(server.requests[1]?.body.response_format).toBeUndefined()
    // The prompt carries the shape either way, so the model can still answer in it.
    expect((server.requests[1]?.body.messages as { content: string }[])[0]?.content).toContain('Use snake_case keys exactly as in this shape')
    expect(result.replyOutcome).toBe('valid')

    server.reply(openaiStream(validJson))
    await runAgent(inputFor('backend_developer'), { provider: local, signal: live() })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]?.body.response_format).toBeUndefined()
  })

  it('reports the refusal as an error when the schema is switched on', async () => {
    server.reply(vllmRefusal)
    const strict = createOpenAIProvider({ baseURL: server.url, model: 'm', jsonSchema: 'on' })
    const error = await runAgent(inputFor('backend_developer'), { provider: strict, signal: live() }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ProviderError', status: 400, retryable: false })
  })

  it('passes the cached prompt tokens a server reports through to the usage', async () => {
    server.reply(openaiStream(validJson, { usage: [2000, 300], cachedTokens: 1536 }))
    const result = await runAgent(inputFor('backend_developer'), { provider: provider(), signal: live() })
    expect(result.usage).toMatchObject({ inputTokens: 2000, outputTokens: 300, cachedInputTokens: 1536 })
  })
})

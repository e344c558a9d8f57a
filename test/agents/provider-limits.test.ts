import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createProvider, type ModelLimitsHost, runAgent, startModelLimitsHost } from '../../src/agents/index.ts'
import { testConfig } from '../support/engines.ts'
import { anthropicStream, errorReply, type FakeModelServer, openaiStream, type Reply, startFakeModelServer } from './support/fake-model-server.ts'
import { inputFor } from './support/inputs.ts'

// 100 agent runs through 2-second back-offs: well past bun's 5 s default.
setDefaultTimeout(120_000)

const CONCURRENCY = 4
const WORKERS = 3
const RUNS = 100

let server: FakeModelServer
let host: ModelLimitsHost
const workers: Worker[] = []
let validJson: string

beforeAll(async () => {
  server = startFakeModelServer()
  host = startModelLimitsHost()
  const sim = await runAgent(inputFor('security_specialist'), {
    provider: createProvider(testConfig()),
    signal: new AbortController().signal,
  })
  validJson = JSON.stringify(sim.output)
})
afterAll(async () => {
  for (const w of workers) w.terminate()
  host.stop()
  await server.stop()
})

/** Every tenth call answers 429 with `Retry-After: 2`; the others stream a valid reply after a short wait. Records when each 429 went out. */
function everyTenthLimited(sentAt: number[]): Reply {
  let calls = 0
  const ok = openaiStream('', { latencyMs: 20 })
  return async (recorded, request) => {
    calls++
    if (calls % 10 === 0) {
      sentAt.push(Date.now())
      return Response.json({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { status: 429, headers: { 'retry-after': '2' } })
    }
    return openaiStream(validJson, { latencyMs: 20, chunks: 4 })(recorded, request) ?? ok(recorded, request)
  }
}

function startWorker(config: ReturnType<typeof testConfig>, key: string): Promise<Worker> {
  const w = new Worker(new URL('./fixtures/limited-agent.worker.ts', import.meta.url))
  workers.push(w)
  return new Promise((resolve) => {
    w.addEventListener('message', (e: MessageEvent<{ type: string }>) => e.data.type === 'ready' && resolve(w), { once: true })
    w.postMessage({ type: 'start', config, channel: host.channel, key })
  })
}

type Outcome = { type: 'result'; id: number; model: string } | { type: 'error'; id: number; error: { message: string } }

describe('provider limits across the Workers of a node', () => {
  it('holds MODEL_CONCURRENCY and every back-off under 100 concurrent runs with a 429 on every tenth call, and no run fails', async () => {
    const sentAt: number[] = []
    server.reply(everyTenthLimited(sentAt))
    const config = testConfig({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: `${server.url}/v1`, MODEL_NAME: 'gpt-4o', MODEL_CONCURRENCY: String(CONCURRENCY) })
    const key = `openai:${server.url}/v1`
    const pool = await Promise.all(Array.from({ length: WORKERS }, () => startWorker(config, key)))

    const outcomes = await Promise.all(
      Array.from({ length: RUNS }, (_, id) => {
        const w = pool[id % WORKERS] as Worker
        return new Promise<Outcome>((resolve) => {
          const onMessage = (e: MessageEvent<Outcome>): void => {
            if (e.data.id !== id) return
            w.removeEventListener('message', onMessage)
            resolve(e.data)
          }
          w.addEventListener('message', onMessage)
          w.postMessage({ type: 'run', id, input: inputFor('security_specialist') })
        })
      }),
    )

    // No run failed: each 429 was waited out and sent again.
    expect(outcomes.filter((o) => o.type === 'error')).toEqual([])
    expect(sentAt.length).toBeGreaterThanOrEqual(10)
    expect(server.requests).toHaveLength(RUNS + sentAt.length)
    // The stand-in never had more than MODEL_CONCURRENCY requests open, though 100 runs wanted to be.
    expect(server.maxOpen()).toBeLessThanOrEqual(CONCURRENCY)
    expect(server.maxOpen()).toBeGreaterThan(1)
    // Each 429 paused the whole node once (the count every Worker reads from the shared memory).
    expect(host.limits.pauses(host.limits.slot(key))).toBe(sentAt.length)
    // A request the node sent knowing of k back-offs went out after the k-th one ended: none during a back-off.
    const during = server.requests.filter((r) => {
      const known = Number(r.headers['x-test-pauses'])
      return known > 0 && r.at < (sentAt[known - 1] as number) + 2000
    })
    expect(during).toEqual([])
    // Requests of all three Workers saw the back-offs (not only the Worker whose call got the 429).
    expect(new Set(server.requests.map((r) => r.headers['x-test-pauses'])).size).toBeGreaterThan(sentAt.length / 2)
  })
})

describe('fallbacks', () => {
  let fallbackServer: FakeModelServer
  beforeAll(() => {
    fallbackServer = startFakeModelServer()
  })
  afterAll(() => fallbackServer.stop())

  it('answers with the fallback on another provider when the primary answers 500, and says which model answered', async () => {
    server.reply(errorReply(500, { error: { message: 'internal error', type: 'server_error' } }))
    fallbackServer.reply(anthropicStream(validJson, { model: 'claude-haiku-4-5' }))
    const provider = createProvider(
      testConfig({
        MODEL_PROVIDER: 'openai',
        OPENAI_BASE_URL: server.url,
        MODEL_NAME: 'gpt-4o',
        MODEL_FALLBACKS: 'anthropic:claude-haiku-4-5',
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: fallbackServer.url,
      }),
    )
    const result = await runAgent(inputFor('security_specialist'), { provider, signal: new AbortController().signal })
    expect(server.requests).toHaveLength(1)
    expect(fallbackServer.requests).toHaveLength(1)
    expect(fallbackServer.requests[0]?.body.model).toBe('claude-haiku-4-5')
    expect(result).toMatchObject({ model: 'claude-haiku-4-5', provider: 'anthropic', replyOutcome: 'valid' })
    expect(result.replies).toMatchObject([{ purpose: 'answer', provider: 'anthropic', model: 'claude-haiku-4-5' }])
  })

  it('tries the role’s fallbacks in order on the same provider, and not after a non-retryable error', async () => {
    server.reply((recorded, request) =>
      recorded.body.model === 'small-model' ? openaiStream(validJson, { model: 'small-model' })(recorded, request) : errorReply(503, { error: { message: 'overloaded' } })(recorded, request),
    )
    const config = testConfig({ MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: server.url, MODEL_NAME: 'big-model', MODEL_FALLBACKS: 'security_specialist=medium-model|small-model;*=other' })
    const result = await runAgent(inputFor('security_specialist'), { provider: createProvider(config), signal: new AbortController().signal })
    expect(server.requests.map((r) => r.body.model)).toEqual(['big-model', 'medium-model', 'small-model'])
    expect(result.model).toBe('small-model')

    server.reply(errorReply(401, { error: { message: 'bad key' } }))
    const error = await runAgent(inputFor('security_specialist'), { provider: createProvider(config), signal: new AbortController().signal }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ProviderError', status: 401 })
    expect(server.requests).toHaveLength(1)
  })
})

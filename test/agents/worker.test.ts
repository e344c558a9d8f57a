import { afterEach, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type AgentInput, type AgentResult, ROLE_DEFINITIONS } from '../../src/agents/index.ts'
import { testConfig } from '../support/engines.ts'
import { inputFor } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

type Outgoing =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: AgentResult; chunks: number }
  | { type: 'error'; id: number; error: { kind: string; retryable: boolean; message: string }; chunks: number }

let worker: Worker | null = null

function startWorker(): Promise<Worker> {
  const w = new Worker(new URL('./fixtures/run-agent.worker.ts', import.meta.url))
  worker = w
  return new Promise((resolve) => {
    w.addEventListener('message', (e: MessageEvent<Outgoing>) => e.data.type === 'ready' && resolve(w), { once: true })
  })
}

function call(w: Worker, id: number, input: AgentInput, env: Record<string, string> = {}): Promise<Outgoing> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent<Outgoing>): void => {
      if (e.data.type !== 'ready' && e.data.id === id) {
        w.removeEventListener('message', onMessage)
        resolve(e.data)
      }
    }
    w.addEventListener('message', onMessage)
    w.postMessage({ type: 'run', id, config: testConfig(env), input })
  })
}

afterEach(() => {
  worker?.terminate()
  worker = null
})

describe('runAgent inside a Bun Worker', () => {
  it('runs an agent from posted config and input and posts back a plain result', async () => {
    const w = await startWorker()
    const reply = await call(w, 1, inputFor('database_administrator'), { SIM_LATENCY_MS: '20' })
    expect(reply.type).toBe('result')
    if (reply.type !== 'result') return
    expect(ROLE_DEFINITIONS.database_administrator.schema.safeParse(reply.result.output).success).toBe(true)
    expect(reply.chunks).toBeGreaterThan(1)
    expect(reply.result.provider).toBe('simulated')
  })

  it('posts a typed error as data when the provider fails', async () => {
    const w = await startWorker()
    const reply = await call(w, 2, inputFor('backend_developer', { name: 'x [sim:fail=backend_developer]', description: '' }))
    expect(reply).toMatchObject({ type: 'error', error: { kind: 'provider', retryable: true } })
  })

  it('aborts a running call when the main thread asks', async () => {
    const w = await startWorker()
    const pending = call(w, 3, inputFor('security_specialist', { name: 'x [sim:hang=security_specialist]', description: '' }))
    w.postMessage({ type: 'abort', id: 3 })
    expect(await pending).toMatchObject({ type: 'error', error: { kind: 'abort', retryable: false } })
  })

  it('takes the Worker down on a crash directive', async () => {
    const w = await startWorker()
    const closed = new Promise<number>((resolve) => w.addEventListener('close', (e) => resolve((e as CloseEvent & { code: number }).code)))
    w.postMessage({ type: 'run', id: 4, config: testConfig(), input: inputFor('it_administrator', { name: 'x [sim:crash=it_administrator]', description: '' }) })
    expect(await closed).toBe(1)
  })
})

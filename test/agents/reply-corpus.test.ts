import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import {
  AgentOutputError,
  createAnthropicProvider,
  createOpenAIProvider,
  LONGER_REPLY_TOKENS,
  type ModelProvider,
  RAW_REPLY_LIMIT,
  repliesOf,
  runAgent,
} from '../../src/agents/index.ts'
import { CORPUS, type CorpusReply } from './fixtures/replies/corpus.ts'
import { anthropicStream, type FakeModelServer, openaiStream, type Reply, startFakeModelServer } from './support/fake-model-server.ts'
import { inputFor } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let server: FakeModelServer
beforeAll(() => {
  server = startFakeModelServer()
})
afterAll(() => server.stop())

/** A wire format: how the stand-in speaks one reply, and the provider that talks to it. */
interface Wire {
  name: string
  speak(text: string, cut: boolean): Reply
  provider(): ModelProvider
}

const WIRES: Wire[] = [
  {
    name: 'OpenAI chat completions, streamed with usage',
    speak: (text, cut) => openaiStream(text, { finishReason: cut ? 'length' : 'stop', chunks: 7 }),
    provider: () => createOpenAIProvider({ baseURL: `${server.url}/v1`, apiKey: 'sk-test', model: 'gpt-4o' }),
  },
  {
    name: 'OpenAI chat completions, streamed without usage',
    speak: (text, cut) => openaiStream(text, { finishReason: cut ? 'length' : 'stop', usage: null }),
    provider: () => createOpenAIProvider({ baseURL: `${server.url}/v1`, model: 'gpt-4o' }),
  },
  {
    name: 'Anthropic messages event stream',
    speak: (text, cut) => anthropicStream(text, { stopReason: cut ? 'max_tokens' : 'end_turn', chunks: 6 }),
    provider: () => createAnthropicProvider({ baseURL: `${server.url}/v1`, apiKey: 'sk-ant-test', model: 'claude-sonnet-4-5' }),
  },
  {
    name: "Ollama's OpenAI-compatible server",
    speak: (text, cut) => openaiStream(text, { finishReason: cut ? 'length' : 'stop', model: 'llama3.1:8b', flavour: 'ollama', usage: [900, 400] }),
    provider: () => createOpenAIProvider({ baseURL: server.url, model: 'llama3.1:8b', jsonSchema: 'off' }),
  },
]

/** Replays one corpus entry; returns what the attempt recorded (outcome and calls) or its error. */
async function replay(wire: Wire, entry: CorpusReply) {
  server.reply(...entry.replies.map((text, i) => wire.speak(text, entry.cut?.includes(i) ?? false)))
  try {
    const result = await runAgent(inputFor('security_specialist'), { provider: wire.provider(), signal: new AbortController().signal })
    return { outcome: result.replyOutcome, replies: result.replies, error: null }
  } catch (error) {
    return { outcome: 'failed' as const, replies: repliesOf(error), error }
  }
}

describe('the reply corpus', () => {
  it('holds at least 30 replies, every outcome among them', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30)
    expect(new Set(CORPUS.map((c) => c.expected))).toEqual(new Set(['valid', 'repaired_locally', 'repaired_by_call', 'failed']))
  })
})

for (const wire of WIRES) {
  describe(`replayed through ${wire.name}`, () => {
    for (const entry of CORPUS) {
      it(`records ${entry.expected} for: ${entry.id}`, async () => {
        const got = await replay(wire, entry)
        expect(got.outcome).toBe(entry.expected)
        if (entry.expected === 'failed') expect(got.error).toBeInstanceOf(AgentOutputError)
        // Every call was made and kept: its raw text, finish reason and timing.
        expect(server.requests).toHaveLength(entry.replies.length)
        expect(got.replies.map((r) => r.text)).toEqual(entry.replies.map((t) => t.replace(/\u0000/g, '').slice(0, RAW_REPLY_LIMIT)))
        expect(got.replies.map((r) => r.finishReason)).toEqual(entry.replies.map((_, i) => (entry.cut?.includes(i) ? 'length' : 'stop')))
        for (const reply of got.replies) {
          expect(reply.totalMs).toBeGreaterThanOrEqual(0)
          if (reply.text.length > 0) expect(reply.firstTokenMs).not.toBeNull()
        }
      })
    }
  })
}

describe('reading replies, per call', () => {
  const openai = WIRES[0] as Wire
  const entry = (id: string): CorpusReply => CORPUS.find((c) => c.id === id) as CorpusReply

  it('asks again with a larger token limit after a reply cut at the limit', async () => {
    await replay(openai, entry('cut at the token limit, whole with a larger limit'))
    expect(server.requests[0]?.body.max_tokens).toBeUndefined()
    expect(server.requests[1]?.body.max_tokens).toBeGreaterThanOrEqual(LONGER_REPLY_TOKENS)
    expect((server.requests[1]?.body.messages as unknown[]).length).toBe(2)
  })

  it('tells the repair call exactly which paths failed and why', async () => {
    const got = await replay(openai, entry('missing fields'))
    expect(got.replies.map((r) => r.purpose)).toEqual(['answer', 'repair'])
    const messages = server.requests[1]?.body.messages as { role: string; content: string }[]
    const ask = messages[messages.length - 1]?.content ?? ''
    expect(ask).toContain('- mitigations: Invalid input: expected array, received undefined')
    expect(ask).toContain('- compliance_notes:')
    expect(messages[messages.length - 2]).toMatchObject({ role: 'assistant' })
  })

  it('keeps at most 16 KiB of a long raw reply and its full length', async () => {
    const long = `${'x'.repeat(RAW_REPLY_LIMIT + 500)}`
    const got = await replay(openai, { id: 'long', replies: [long, long], expected: 'failed' })
    expect(got.replies[0]?.text).toHaveLength(RAW_REPLY_LIMIT)
    expect(got.replies[0]?.chars).toBe(long.length)
  })

  it('sends no response format to a server switched to plain JSON instructions, and the schema otherwise', async () => {
    await replay(WIRES[3] as Wire, entry('compact JSON'))
    expect(server.requests[0]?.body.response_format).toBeUndefined()
    expect(server.requests[0]?.body.model).toBe('llama3.1:8b')
    await replay(openai, entry('compact JSON'))
    expect((server.requests[0]?.body.response_format as { type: string }).type).toBe('json_schema')
  })
})

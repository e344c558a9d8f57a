/**
 * A stand-in for a model API on 127.0.0.1:0: records each request and answers from a
 * queue of replies (the last reply repeats). Speaks just enough of the OpenAI
 * chat-completions and Anthropic messages streaming formats for the AI SDK.
 */

/** One request the server received. */
export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: Record<string, unknown>
  /** True once the client went away (its AbortSignal reached the socket). */
  aborted: boolean
  /** `Date.now()` when it arrived. */
  at: number
  /** Requests open on the server when it arrived, itself included. */
  openOnArrival: number
}

export type Reply = (recorded: RecordedRequest, request: Request) => Response | Promise<Response>

export interface FakeModelServer {
  url: string
  requests: RecordedRequest[]
  reply(...replies: Reply[]): void
  /** Requests open now: arrived, and their response not yet fully sent. */
  open(): number
  /** The most requests ever open at once (since the last `reply`). */
  maxOpen(): number
  stop(): Promise<void>
}

/** The response with its end reported to `done` (once): when its body has been sent, or at once without one. */
function onSent(response: Response, done: () => void): Response {
  if (!response.body) {
    done()
    return response
  }
  const reader = response.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done: ended, value } = await reader.read()
      if (ended) {
        // Counted closed before the client can see the end of the body.
        done()
        controller.close()
      } else controller.enqueue(value)
    },
    cancel(reason) {
      done()
      return reader.cancel(reason)
    },
  })
  return new Response(body, { status: response.status, headers: response.headers })
}

/** Starts a fake model server; stop it in afterAll/afterEach. */
export function startFakeModelServer(): FakeModelServer {
  let queue: Reply[] = []
  const requests: RecordedRequest[] = []
  let open = 0
  let maxOpen = 0
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const text = await request.text()
      const headers: Record<string, string> = {}
      request.headers.forEach((value, key) => {
        headers[key] = value
      })
      open++
      maxOpen = Math.max(maxOpen, open)
      let closed = false
      const close = (): void => {
        if (closed) return
        closed = true
        open--
      }
      const recorded: RecordedRequest = {
        method: request.method,
        path: url.pathname,
        headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        aborted: false,
        at: Date.now(),
        openOnArrival: open,
      }
      request.signal.addEventListener('abort', () => {
        recorded.aborted = true
        close()
      })
      requests.push(recorded)
      const next = queue.length > 1 ? queue.shift() : queue[0]
      if (!next) {
        close()
        return new Response('no reply queued', { status: 500 })
      }
      try {
        return onSent(await next(recorded, request), close)
      } catch (error) {
        close()
        throw error
      }
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    reply(...replies) {
      queue = replies
      requests.length = 0
      maxOpen = open
    },
    open: () => open,
    maxOpen: () => maxOpen,
    async stop() {
      await server.stop(true)
    },
  }
}

const enc = new TextEncoder()

function sse(frames: string[], options: { hangAfter?: boolean; signal?: AbortSignal; latencyMs?: number } = {}): Response {
  const latency = options.latencyMs ?? 0
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // A model's latency: spread over the frames, the first one after a share of it.
      for (const f of frames) {
        if (latency > 0) await Bun.sleep(latency / frames.length)
        if (options.signal?.aborted) break
        controller.enqueue(enc.encode(f))
      }
      if (!options.hangAfter) controller.close()
      else options.signal?.addEventListener('abort', () => controller.close())
    },
  })
  return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
}

/** Splits `text` into `n` roughly equal pieces. */
export function pieces(text: string, n: number): string[] {
  const size = Math.ceil(text.length / n)
  return Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size)).filter((p) => p.length > 0)
}

/** A streamed chat completion whose content is `text`, in `chunks` deltas, with usage at the end. */
export function openaiStream(
  text: string,
  options: {
    model?: string
    chunks?: number
    usage?: [number, number] | null
    hangAfter?: number
    /** `stop` (default) or `length` (cut at the token limit). */
    finishReason?: string
    /** Prompt tokens read from the cache (`prompt_tokens_details.cached_tokens`). */
    cachedTokens?: number
    /** Spread over the stream (a model's generation time). */
    latencyMs?: number
    /** Ollama's OpenAI-compatible server: `fp_ollama` fingerprint, an empty closing delta. */
    flavour?: 'openai' | 'ollama'
  } = {},
): Reply {
  return (_recorded, request) => {
    const model = options.model ?? 'gpt-4o'
    const ollama = options.flavour === 'ollama'
    const head = { id: ollama ? 'chatcmpl-412' : 'chatcmpl-1', object: 'chat.completion.chunk', created: 1_700_000_000, model, ...(ollama ? { system_fingerprint: 'fp_ollama' } : {}) }
    const deltas = pieces(text, options.chunks ?? 5)
    const frames = deltas.map(
      (content, i) => `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null }] })}\n\n`,
    )
    if (options.hangAfter !== undefined) return sse(frames.slice(0, options.hangAfter), { hangAfter: true, signal: request.signal })
    const closing = ollama ? { role: 'assistant', content: '' } : {}
    frames.push(`data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: closing, finish_reason: options.finishReason ?? 'stop' }] })}\n\n`)
    if (options.usage !== null) {
      const [prompt, completion] = options.usage ?? [120, 80]
      const details = options.cachedTokens ? { prompt_tokens_details: { cached_tokens: options.cachedTokens } } : {}
      frames.push(`data: ${JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...details } })}\n\n`)
    }
    frames.push('data: [DONE]\n\n')
    return sse(frames, { latencyMs: options.latencyMs ?? 0, signal: request.signal })
  }
}

/** A streamed Anthropic message whose answer is `text`: a text block, or a `json` tool call when the SDK sent that tool. */
export function anthropicStream(
  text: string,
  options: {
    model?: string
    chunks?: number
    usage?: [number, number]
    hangAfter?: number
    /** `end_turn` (default) or `max_tokens` (cut at the token limit). */
    stopReason?: string
    /** Input tokens read from the prompt cache (`cache_read_input_tokens`). */
    cacheRead?: number
  } = {},
): Reply {
  return (recorded, request) => {
    const model = options.model ?? 'claude-sonnet-4-5'
    const [input, output] = options.usage ?? [150, 90]
    const asTool = Array.isArray(recorded.body.tools) && (recorded.body.tools as { name: string }[]).some((t) => t.name === 'json')
    const event = (type: string, data: unknown): string => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`
    const frames = [
      event('message_start', {
        type: 'message_start',
        message: { id: 'msg_1', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: input, output_tokens: 1, ...(options.cacheRead ? { cache_read_input_tokens: options.cacheRead } : {}) } },
      }),
      event('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: asTool ? { type: 'tool_use', id: 'toolu_1', name: 'json', input: {} } : { type: 'text', text: '' },
      }),
      ...pieces(text, options.chunks ?? 5).map((p) =>
        event('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: asTool ? { type: 'input_json_delta', partial_json: p } : { type: 'text_delta', text: p },
        }),
      ),
    ]
    if (options.hangAfter !== undefined) return sse(frames.slice(0, 2 + options.hangAfter), { hangAfter: true, signal: request.signal })
    frames.push(
      event('content_block_stop', { type: 'content_block_stop', index: 0 }),
      event('message_delta', { type: 'message_delta', delta: { stop_reason: options.stopReason ?? (asTool ? 'tool_use' : 'end_turn'), stop_sequence: null }, usage: { output_tokens: output } }),
      event('message_stop', { type: 'message_stop' }),
    )
    return sse(frames)
  }
}

/** A JSON error response with optional headers. */
export function errorReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return () => Response.json(body, { status, headers })
}

/** Accepts the request and never answers until the client goes away. */
export function hangReply(): Reply {
  return (_recorded, request) =>
    new Promise<Response>((resolve) => {
      request.signal.addEventListener('abort', () => resolve(new Response('gone', { status: 499 })))
    })
}

/** Raw SSE frames, for malformed streams. */
export function rawSse(...frames: string[]): Reply {
  return () => sse(frames)
}

/** Resolves once `check()` is true; rejects after `limitMs` (a safety net, not a timing assertion). */
export async function eventually(check: () => boolean, limitMs = 2000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(5)
  }
}

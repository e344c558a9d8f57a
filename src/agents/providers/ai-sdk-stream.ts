import { APICallError, type LanguageModel, Output, streamText } from 'ai'
import type { TokenUsage } from '../agent-types.ts'
import { AbortError, ProviderError } from '../errors.ts'
import { abortErrorFrom } from '../abort.ts'
import type { FinishReason, ProviderRequest, ProviderResponse } from './provider.ts'

/** How an AI SDK backed provider makes one call. */
export interface AiSdkCallOptions {
  model: LanguageModel
  modelId: string
  /** Retries inside the AI SDK (honouring `Retry-After` up to 60 s); supervision retries on top. */
  maxRetries: number
  providerOptions?: Record<string, Record<string, string | number | boolean | null>>
  /** Send the role's JSON schema as the response format (default true); false: plain JSON instructions only. */
  structured?: boolean
  /** How this vendor marks a cacheable system block (Anthropic `cacheControl`); absent: not marked. */
  cacheMark?: Record<string, Record<string, unknown>>
}

/**
 * The system prompt: one message where the vendor caches prefixes by itself (OpenAI; some local
 * servers' chat templates refuse a second system message), else two blocks, the part the
 * session's agents share first and marked cacheable (Anthropic `cache_control`).
 */
function instructionsOf(request: ProviderRequest, cacheMark: AiSdkCallOptions['cacheMark']) {
  const cut = request.sharedSystemChars ?? 0
  if (!cacheMark || cut <= 0 || cut >= request.system.length) return request.system
  return [
    { role: 'system' as const, content: request.system.slice(0, cut), providerOptions: cacheMark as never },
    { role: 'system' as const, content: request.system.slice(cut) },
  ]
}

const FINISH_REASONS = new Set<FinishReason>(['stop', 'length', 'content-filter', 'tool-calls', 'error', 'other'])

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or HTTP date); null when absent. */
export function retryAfterMs(headers: Record<string, string> | undefined): number | null {
  if (!headers) return null
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '')
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms)
  const after = headers['retry-after']
  if (after === undefined) return null
  const seconds = Number.parseFloat(after)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  const date = Date.parse(after)
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null
}

/** Any error out of the AI SDK as AbortError or ProviderError. Never throws. */
export function toProviderError(error: unknown, signal: AbortSignal): Error {
  if (error instanceof AbortError || error instanceof ProviderError) return error
  if (signal.aborted) return abortErrorFrom(signal)
  // RetryError is not exported by `ai`; it carries the last underlying error.
  if (error instanceof Error && error.name === 'AI_RetryError' && 'lastError' in error) {
    return toProviderError((error as Error & { lastError: unknown }).lastError, signal)
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode ?? null
    // Servers whose error body the SDK cannot read (vLLM, LM Studio) leave only "Bad Request": add what they said.
    const body = error.responseBody && !error.message.includes(error.responseBody.slice(0, 40)) ? ` (${error.responseBody.slice(0, 500)})` : ''
    return new ProviderError(`model API ${status === null ? 'call failed' : `answered ${status}`}: ${error.message}${body}`, {
      retryable: error.isRetryable,
      status,
      retryAfterMs: retryAfterMs(error.responseHeaders),
      cause: error,
    })
  }
  if (error instanceof Error && error.name === 'AbortError') return new AbortError(error.message)
  const message = error instanceof Error ? error.message : String(error)
  // Refused connections, resets and unparseable stream chunks are transient as far as we can tell.
  return new ProviderError(`model call failed: ${message}`, { retryable: true, status: null, cause: error })
}

/** The reported count, or ~4 characters per token when the server reported none (some compatible servers omit usage). */
function tokens(reported: number | undefined, chars: number): number {
  return typeof reported === 'number' && Number.isFinite(reported) && reported > 0 ? reported : Math.ceil(chars / 4)
}

/**
 * One streamed structured-output call through the AI SDK: sends the role's JSON schema,
 * forwards text deltas to `onChunk`, and returns the raw text for `runAgent` to validate.
 * Usage is the server's; where it reports none, an estimate (characters / 4).
 * Rejects with ProviderError or AbortError only.
 */
export async function streamStructured(request: ProviderRequest, options: AiSdkCallOptions): Promise<ProviderResponse> {
  if (request.signal.aborted) throw abortErrorFrom(request.signal)
  const started = performance.now()
  let firstTokenMs: number | null = null
  let text = ''
  let reported: { input: number | undefined; output: number | undefined; cached: number | undefined } = { input: undefined, output: undefined, cached: undefined }
  let finishReason: FinishReason = 'unknown'
  let model = options.modelId
  try {
    const result = streamText({
      model: options.model,
      instructions: instructionsOf(request, options.cacheMark),
      messages: request.messages,
      // Used for its response format (the JSON schema on the wire); validation and repair are runAgent's.
      ...(options.structured === false
        ? {}
        : { output: Output.object({ schema: request.schema, name: request.schemaName, description: request.schemaDescription }) }),
      abortSignal: request.signal,
      maxRetries: options.maxRetries,
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(options.providerOptions ? { providerOptions: options.providerOptions } : {}),
      // Errors arrive as stream parts below; the default handler would print them.
      onError: () => {},
    })
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'text-delta':
          if (firstTokenMs === null && part.text.length > 0) firstTokenMs = Math.round(performance.now() - started)
          text += part.text
          request.onChunk?.(part.text)
          break
        case 'finish-step':
          if (part.response.modelId) model = part.response.modelId
          break
        case 'finish':
          reported = {
            input: part.totalUsage.inputTokens,
            output: part.totalUsage.outputTokens,
            cached: part.totalUsage.inputTokenDetails?.cacheReadTokens,
          }
          finishReason = FINISH_REASONS.has(part.finishReason as FinishReason) ? (part.finishReason as FinishReason) : 'other'
          break
        case 'abort':
          throw abortErrorFrom(request.signal)
        case 'error':
          throw part.error
      }
    }
  } catch (error) {
    throw toProviderError(error, request.signal)
  }
  const promptChars = request.system.length + request.messages.reduce((n, m) => n + m.content.length, 0)
  const usage: TokenUsage = { inputTokens: tokens(reported.input, promptChars), outputTokens: tokens(reported.output, text.length) }
  if (typeof reported.cached === 'number' && reported.cached > 0) usage.cachedInputTokens = reported.cached
  return { text, model, usage, finishReason, timing: { firstTokenMs, totalMs: Math.round(performance.now() - started) } }
}

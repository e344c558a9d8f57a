import { APICallError, type LanguageModel, Output, streamText } from 'ai'
import type { TokenUsage } from '../agent-types.ts'
import { AbortError, ProviderError } from '../errors.ts'
import { abortErrorFrom } from '../abort.ts'
import type { ProviderRequest, ProviderResponse } from './provider.ts'

/** How an AI SDK backed provider makes one call. */
export interface AiSdkCallOptions {
  model: LanguageModel
  modelId: string
  /** Retries inside the AI SDK (honouring `Retry-After` up to 60 s); supervision retries on top. */
  maxRetries: number
  providerOptions?: Record<string, Record<string, string | number | boolean | null>>
}

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
    return new ProviderError(`model API ${status === null ? 'call failed' : `answered ${status}`}: ${error.message}`, {
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
  let text = ''
  let reported: { input: number | undefined; output: number | undefined } = { input: undefined, output: undefined }
  let model = options.modelId
  try {
    const result = streamText({
      model: options.model,
      instructions: request.system,
      messages: request.messages,
      // Used for its response format (the JSON schema on the wire); validation and repair are runAgent's.
      output: Output.object({ schema: request.schema, name: request.schemaName, description: request.schemaDescription }),
      abortSignal: request.signal,
      maxRetries: options.maxRetries,
      ...(options.providerOptions ? { providerOptions: options.providerOptions } : {}),
      // Errors arrive as stream parts below; the default handler would print them.
      onError: () => {},
    })
    for await (const part of result.fullStream) {
      switch (part.type) {
        case 'text-delta':
          text += part.text
          request.onChunk?.(part.text)
          break
        case 'finish-step':
          if (part.response.modelId) model = part.response.modelId
          break
        case 'finish':
          reported = { input: part.totalUsage.inputTokens, output: part.totalUsage.outputTokens }
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
  return { text, model, usage }
}

import type { ReplyRecord } from './agent-types.ts'
import type { ProviderResponse } from './providers/index.ts'
import { storableText } from '../validation/storable-text.ts'

/** How much of one raw reply a snapshot keeps: 16 KiB of characters (a full role output is ~3–8 KiB). */
export const RAW_REPLY_LIMIT = 16 * 1024

/** The start of `text`, at most RAW_REPLY_LIMIT characters, storable in jsonb (no NULs, no lone surrogates). */
function capped(text: string): string {
  return storableText(text.slice(0, RAW_REPLY_LIMIT)).text
}

/** One answered call as its snapshot keeps it. */
export function replyRecord(purpose: ReplyRecord['purpose'], providerName: string, response: ProviderResponse): ReplyRecord {
  return {
    purpose,
    provider: response.provider ?? providerName,
    model: response.model,
    text: capped(response.text),
    chars: response.text.length,
    finishReason: response.finishReason ?? 'stop',
    firstTokenMs: response.timing?.firstTokenMs ?? null,
    totalMs: response.timing?.totalMs ?? 0,
  }
}

/** One call that failed (HTTP, transport, abort) as its snapshot keeps it: no text, the error's message. */
export function replyRecordOfError(purpose: ReplyRecord['purpose'], providerName: string, model: string, error: unknown, elapsedMs: number): ReplyRecord {
  const message = error instanceof Error ? error.message : String(error)
  return {
    purpose,
    provider: providerName,
    model,
    text: '',
    chars: 0,
    finishReason: 'error',
    firstTokenMs: null,
    totalMs: Math.max(0, Math.round(elapsedMs)),
    error: capped(message).slice(0, 2000),
  }
}

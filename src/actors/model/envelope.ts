import { z } from 'zod'
import { isAddress } from './address.ts'

const addressSchema = z.string().refine(isAddress, { error: 'is not an actor address' })

/**
 * What travels in a mailbox: one message with its routing. `reply_to` is an actor
 * address or `node:<id>` (an external `ask`); `sent_at` is epoch milliseconds.
 */
export const EnvelopeSchema = z.object({
  v: z.literal(1),
  id: z.string().min(8).max(100),
  to: addressSchema,
  type: z.string().min(1).max(200),
  payload: z.unknown(),
  from: z.string().max(500).optional(),
  reply_to: z.string().max(500).optional(),
  correlation_id: z.string().max(100).optional(),
  sent_at: z.number(),
})

export type Envelope = z.output<typeof EnvelopeSchema>

/** The result of decoding a mailbox entry: an envelope, or why it is invalid. */
export type DecodeResult = { ok: true; envelope: Envelope } | { ok: false; reason: string; id: string | null; to: string | null }

/** Parses and validates raw entry text. Never throws. */
export function decodeEnvelope(raw: string): DecodeResult {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return { ok: false, reason: 'invalid envelope: not JSON', id: null, to: null }
  }
  const parsed = EnvelopeSchema.safeParse(value)
  if (parsed.success) return { ok: true, envelope: parsed.data }
  const loose = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'envelope'} ${i.message}`).join('; ')
  return {
    ok: false,
    reason: `invalid envelope: ${reason}`,
    id: typeof loose.id === 'string' ? loose.id : null,
    to: typeof loose.to === 'string' && isAddress(loose.to) ? loose.to : null,
  }
}

/** Serialises an envelope for a mailbox entry. */
export function encodeEnvelope(envelope: Envelope): string {
  return JSON.stringify(envelope)
}

/** A new message id: time-ordered enough to read, unique enough to dedupe on. */
export function newMessageId(): string {
  return Bun.randomUUIDv7()
}

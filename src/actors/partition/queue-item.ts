import { decodeEnvelope, type Envelope } from '../model/index.ts'
import type { OutboxMessage } from '../storage/index.ts'
import type { Delivery } from '../transport/index.ts'

/** A queued message: read from the transport, handed over locally, or a finished job's outcome. */
export interface QueueItem extends Delivery {
  /**
   * A job's outcome for an actor of this partition, handled in place: the commit that
   * handles it also removes the job's row, and that removal is its once-only check (no
   * outbox row, no inbox row, no transport round trip).
   */
  job?: { id: string; envelope: Envelope; progress?: true }
}

/** A queue item with its envelope decoded (null when it cannot be: `reason` says why). */
export interface Decoded {
  delivery: QueueItem
  envelope: Envelope | null
  reason: string | null
  to: string | null
}

/** Decodes a queue item's envelope; checks that a transport entry's message id matches it. */
export function decodeItem(delivery: QueueItem): Decoded {
  if (delivery.job) return { delivery, envelope: delivery.job.envelope, reason: null, to: delivery.job.envelope.to }
  const result = decodeEnvelope(delivery.body)
  if (!result.ok) return { delivery, envelope: null, reason: result.reason, to: result.to }
  if (delivery.messageId !== null && delivery.messageId !== result.envelope.id) {
    return { delivery, envelope: null, reason: 'invalid envelope: id does not match the entry', to: result.envelope.to }
  }
  return { delivery, envelope: result.envelope, reason: null, to: result.envelope.to }
}

/**
 * A message handled in its sender's commit, straight from the envelope its sender built:
 * no text to parse (its body is made only if it must be dead-lettered).
 */
export function cascaded(envelope: Envelope, message: OutboxMessage): Decoded {
  const delivery: QueueItem = {
    entryId: null,
    messageId: null,
    get body() {
      return message.envelope
    },
  }
  return { delivery, envelope, reason: null, to: envelope.to }
}

/** What identifies an item across redeliveries (failure counts). */
export function keyOf(item: QueueItem): string {
  if (item.job) return item.job.progress ? item.job.envelope.id : `job:${item.job.id}`
  return item.messageId ?? item.entryId ?? item.body
}

import { type OutboxMessage, staleOutbox, unhandledFrom } from '../storage/index.ts'
import type { RuntimeEnv } from './runtime-env.ts'

/**
 * Outbox rows for `partition` older than `minAgeMs` that are neither in its mailbox nor
 * in `queued` (lost by a crashed sender or a restarted Redis), in outbox order.
 */
export async function missingFromMailbox(env: RuntimeEnv, partition: number, minAgeMs: number, queued: ReadonlySet<string>): Promise<OutboxMessage[]> {
  const stale = await staleOutbox(env.db, partition, minAgeMs, 5000)
  if (stale.length === 0) return []
  const present = await env.transport.present(partition)
  return stale.filter((m) => !present.has(m.messageId) && !queued.has(m.messageId))
}

/**
 * Publishes what `partition`'s actors sent under the previous owner and nobody handled
 * yet, in order; rows addressed to the partition itself are left to the reconciler.
 */
export async function republishOutbound(env: RuntimeEnv, partition: number): Promise<void> {
  for (;;) {
    const rows = await unhandledFrom(env.db, partition, 5000)
    const elsewhere = rows.filter((m) => m.targetPartition !== partition)
    if (elsewhere.length > 0) await env.route(elsewhere)
    if (rows.length < 5000) return
  }
}

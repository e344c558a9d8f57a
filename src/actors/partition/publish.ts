import { FencedError } from '../model/index.ts'
import { checkFence, insertOutbox, nextTimerAt, type OutboxMessage, takeDueTimers } from '../storage/index.ts'
import type { Delivery } from '../transport/index.ts'
import type { CommittedBatch } from './batch-commit.ts'
import type { RuntimeEnv } from './runtime-env.ts'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Publishes committed messages in order, retrying while the transport is down (the
 * reconciler covers a crash); gives up only once `halted()` says the partition is gone.
 */
export async function publishCommitted(env: RuntimeEnv, partition: number, messages: OutboxMessage[], halted: () => boolean): Promise<void> {
  if (messages.length === 0) return
  for (let attempt = 0; ; attempt++) {
    try {
      await env.route(messages)
      env.counters.published.inc({}, messages.length)
      return
    } catch (error) {
      if (halted()) return
      if (attempt === 0) env.log.warn('publishing failed; retrying', { partition, error: String(error) })
      await sleep(Math.min(2000, 50 * 2 ** Math.min(attempt, 6)))
    }
  }
}

/**
 * What follows a commit on the transport: its dead letters to the dead-letter stream, its
 * messages published, its entries acknowledged (through the node's one ack batch) and its
 * replies to external asks sent.
 */
export async function announceCommit(env: RuntimeEnv, partition: number, committed: CommittedBatch, items: Delivery[], halted: () => boolean): Promise<void> {
  const { effects, letters } = committed
  if (letters.length > 0) {
    env.transport.deadLetter(partition, letters).catch((error) => env.log.warn('dead-letter stream write failed', { partition, error: String(error) }))
  }
  await publishCommitted(env, partition, effects.outbox, halted)
  const entryIds: string[] = []
  for (const d of items) if (d.entryId !== null) entryIds.push(d.entryId)
  env.acks.add(partition, entryIds)
  for (const r of effects.replies) {
    env.transport.publishReply(r.nodeId, r.body).catch((error) => env.log.debug('reply not delivered', { error: String(error) }))
  }
}

/** Runs the handlers' after-commit callbacks; one that throws is logged and does not stop the others. */
export function runAfterCommit(env: RuntimeEnv, partition: number, callbacks: ReadonlyArray<() => void>): void {
  for (const callback of callbacks) {
    try {
      callback()
    } catch (error) {
      env.log.warn('after-commit callback failed', { partition, error: String(error) })
    }
  }
}

/**
 * Moves due timers of the partition to its outbox in one fenced transaction (500 at a
 * time); returns their messages to publish and when the next timer is due (now when more
 * were due).
 */
export async function fireDueTimers(env: RuntimeEnv, partition: number, epoch: number): Promise<{ messages: OutboxMessage[]; next: number | null }> {
  const messages: OutboxMessage[] = []
  let full = false
  await env.db.transaction().execute(async (trx) => {
    const due = await takeDueTimers(trx, partition, 500)
    full = due.length === 500
    for (const t of due) messages.push({ messageId: t.id, targetPartition: partition, sourcePartition: partition, envelope: t.envelope })
    await insertOutbox(trx, messages)
    if (!(await checkFence(trx, partition, env.nodeId, epoch, env.leaseMs))) throw new FencedError(partition, epoch)
  })
  if (messages.length > 0) env.counters.timersFired.inc({ partition }, messages.length)
  return { messages, next: full ? Date.now() : await nextTimerAt(env.db, partition) }
}

import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { type CommitEffects, flushDeferred, makeEnvelope, toOutbox } from '../handling/index.ts'
import { ActorFailed, encodeEnvelope, isSystemMessageType, JobCompleted, JobFailed } from '../model/index.ts'
import { insertDeadLetters, type RegistryEntry } from '../storage/index.ts'
import type { DeadLetterEntry } from '../transport/index.ts'
import type { Decoded } from './queue-item.ts'

/**
 * Whether a dead letter of this type is reported to the target's supervisor: a job's outcome
 * is (the work it carried is lost); a failure notice is not (it would climb the tree for a
 * failure already reported), nor is a job's ephemeral progress.
 */
function notifiesSupervisor(type: string): boolean {
  if (type === JobCompleted.type || type === JobFailed.type) return true
  return !isSystemMessageType(type)
}

/** What writing a dead letter needs from its partition. */
export interface DeadLetterScope {
  trx: Transaction<Database>
  partition: number
  partitions: number
  nodeId: string
  log: Logger
  /** The commit's registry rows (may be empty). */
  registry: ReadonlyMap<string, RegistryEntry>
  effects: CommitEffects
  /** Dead letters of this commit, for the transport's dead-letter stream after it commits. */
  letters: DeadLetterEntry[]
  /** The actor's supervisor (memory, registry rows or the registry table). */
  supervisorOf(trx: Transaction<Database>, actor: string, registry: ReadonlyMap<string, RegistryEntry>): Promise<string | null>
}

/**
 * Records one message as dead-lettered in the commit's transaction, and when `notify`,
 * tells the target's supervisor (an ActorFailed, `dead-lettered`, naming the reason).
 */
export async function writeDeadLetter(scope: DeadLetterScope, d: Decoded, reason: string, attempts: number, notify: boolean): Promise<void> {
  const { trx, partition, effects } = scope
  const envelope = d.envelope
  const messageId = d.delivery.messageId ?? envelope?.id ?? null
  const body = d.delivery.job ? encodeEnvelope(d.delivery.job.envelope) : d.delivery.body
  await insertDeadLetters(trx, [{ partition, messageId, actor: d.to, messageType: envelope?.type ?? null, reason, attempts, envelope: body }])
  scope.letters.push({ messageId, body, reason, attempts, nodeId: scope.nodeId })
  scope.log.warn('message dead-lettered', { partition, message_id: messageId, actor: d.to, reason })
  if (!notify || !d.to || (envelope && !notifiesSupervisor(envelope.type))) return
  // The supervisor lookup reads the registry: spawns of this commit go first.
  await flushDeferred(trx, effects)
  const supervisor = await scope.supervisorOf(trx, d.to, scope.registry)
  if (!supervisor) return
  const failed = ActorFailed({
    address: d.to,
    reason: 'dead-lettered',
    detail: reason,
    message_id: messageId,
    message_type: envelope?.type ?? null,
    job_id: null,
  })
  effects.outbox.push(toOutbox(makeEnvelope(supervisor, failed, { from: d.to }), scope.partitions))
}

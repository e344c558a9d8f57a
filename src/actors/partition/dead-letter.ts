import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { type CommitEffects, flushDeferred, makeEnvelope, toOutbox } from '../handling/index.ts'
import { ActorFailed, type Behaviour, encodeEnvelope, type Envelope, isSystemMessageType, JobCompleted, JobFailed, JobProgressed, parseAddress, StopActor } from '../model/index.ts'
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

/**
 * Whether a dead letter for an actor without a supervisor (the top of a tree, such as a
 * session's supervisor) is reported to the actor itself: any lost message is, except
 * ephemeral progress, a stop, and the actor's own failure notice (no loop).
 */
function notifiesSelf(envelope: Envelope | null, self: string): boolean {
  if (!envelope) return true
  if (envelope.type === JobProgressed.type || envelope.type === StopActor.type) return false
  return !(envelope.type === ActorFailed.type && (envelope.payload as { address?: unknown } | null)?.address === self)
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
  /** The node's behaviours: an actor without a supervisor is told of its own dead letters when it accepts ActorFailed. */
  behaviours: ReadonlyMap<string, Behaviour>
  /** The actor's supervisor (memory, registry rows or the registry table). */
  supervisorOf(trx: Transaction<Database>, actor: string, registry: ReadonlyMap<string, RegistryEntry>): Promise<string | null>
}

/**
 * Records one message as dead-lettered in the commit's transaction, and when `notify`,
 * tells the target's supervisor (an ActorFailed, `dead-lettered`, naming the reason). An
 * actor without a supervisor whose behaviour accepts ActorFailed is told itself (the
 * notice names its own address), so the top of a tree can end what it was running.
 */
export async function writeDeadLetter(scope: DeadLetterScope, d: Decoded, reason: string, attempts: number, notify: boolean): Promise<void> {
  const { trx, partition, effects } = scope
  const envelope = d.envelope
  const messageId = d.delivery.messageId ?? envelope?.id ?? null
  const body = d.delivery.job ? encodeEnvelope(d.delivery.job.envelope) : d.delivery.body
  await insertDeadLetters(trx, [{ partition, messageId, actor: d.to, messageType: envelope?.type ?? null, reason, attempts, envelope: body }])
  scope.letters.push({ messageId, body, reason, attempts, nodeId: scope.nodeId })
  scope.log.warn('message dead-lettered', { partition, message_id: messageId, actor: d.to, reason })
  if (!notify || !d.to) return
  // The supervisor lookup reads the registry: spawns of this commit go first.
  await flushDeferred(trx, effects)
  const supervisor = await scope.supervisorOf(trx, d.to, scope.registry)
  const kind = parseAddress(d.to)?.kind
  const selfTold = !supervisor && kind !== undefined && scope.behaviours.get(kind)?.accepts.has(ActorFailed.type) === true
  const target = supervisor ?? (selfTold && notifiesSelf(envelope, d.to) ? d.to : null)
  if (!target || (supervisor && envelope && !notifiesSupervisor(envelope.type))) return
  const failed = ActorFailed({
    address: d.to,
    reason: 'dead-lettered',
    detail: reason,
    message_id: messageId,
    message_type: envelope?.type ?? null,
    job_id: null,
  })
  effects.outbox.push(toOutbox(makeEnvelope(target, failed, { from: d.to }), scope.partitions))
}

import { type ActiveActors, type CommitEffects, type DispatchScope, dispatch, emptyEffects } from '../handling/index.ts'
import { DuplicateDelivery, FencedError } from '../model/index.ts'
import {
  checkFence,
  deleteOutbox,
  finishJob,
  insertOutbox,
  loadRegistry,
  recordedJob,
  recordInbox,
  type RegistryEntry,
  runPipelinedTransaction,
} from '../storage/index.ts'
import type { DeadLetterEntry } from '../transport/index.ts'
import type { ActorCache } from './actor-cache.ts'
import { commitRefusal, finishCommit, writeAppends } from './commit.repo.ts'
import { type DeadLetterScope, writeDeadLetter } from './dead-letter.ts'
import { cascaded, type Decoded, decodeItem, type QueueItem } from './queue-item.ts'
import type { RuntimeEnv } from './runtime-env.ts'

/** What a batch commit needs from its partition: narrow callbacks, never the processor. */
export interface BatchPartition {
  env: RuntimeEnv
  partition: number
  epoch: number
  knownKinds: ReadonlySet<string>
  actors: ActorCache
  /** Whether the job is still running here (its progress only matters then). */
  isJobRunning(jobId: string): boolean
  /** 1 + how often a handler threw on this item. */
  attemptOf(item: QueueItem): number
  /** Whether a local hand-off waits in the queue (messages cascaded in this commit would overtake it). */
  localWaiting(): boolean
}

/** What a committed batch produced, to publish and acknowledge. */
export interface CommittedBatch {
  effects: CommitEffects
  letters: DeadLetterEntry[]
}

/**
 * How `commitBatch` treats redeliveries. `optimistic` runs the handlers first and records
 * the inbox last (in the same round trip as the outbox and the fence), so a handler starts
 * one round trip after BEGIN; a duplicate then rolls everything back (DuplicateDelivery)
 * and the caller retries `careful`ly, recording the inbox before any handler runs.
 */
export type CommitMode = 'optimistic' | 'careful'

/**
 * One fenced transaction for `items`: each dispatched in order (handlers, effects, dead
 * letters), then inbox, outbox, jobs and spawns by the commit's last statement. Throws
 * FencedError (lease lost), DuplicateDelivery (optimistic, redelivered) or HandlerFailure;
 * on any throw the actors it touched are dropped from memory.
 */
export async function commitBatch(p: BatchPartition, items: QueueItem[], mode: CommitMode): Promise<CommittedBatch> {
  const { env, partition } = p
  const decoded = items.map(decodeItem)
  const effects = emptyEffects()
  const letters: DeadLetterEntry[] = []
  const touched = new Set<string>()
  const stopped = new Set<string>()
  const spawned = new Map<string, string>()
  let handled = 0
  let duplicates = 0
  const ids = [...new Set(decoded.filter((d) => !d.delivery.job).map((d) => d.delivery.messageId ?? d.envelope?.id).filter((x): x is string => !!x))]
  try {
    await runPipelinedTransaction(env.db, async (trx, controls) => {
      const fresh = mode === 'careful' ? await recordInbox(trx, partition, ids, env.leaseMs) : null
      const seen = new Set<string>()
      const inactive = [...new Set(decoded.map((d) => d.to).filter((a): a is string => !!a && !p.actors.has(a)))]
      // Optimistically, whether a newly activated actor was stopped is checked at the end, in the same round trip as the inbox.
      const registry = mode === 'careful' ? await loadRegistry(trx, inactive) : new Map<string, RegistryEntry>()
      const activated: string[] = []
      const actors: ActiveActors = p.actors
      const scope: DispatchScope = {
        trx,
        partition,
        partitions: env.partitions,
        log: env.log,
        behaviours: env.behaviours,
        knownKinds: p.knownKinds,
        actors,
        registry,
        supervisorsKnown: mode === 'careful',
        effects,
        stopped,
        spawned,
        touched,
        activated,
      }
      const letterScope: DeadLetterScope = {
        trx,
        partition,
        partitions: env.partitions,
        nodeId: env.nodeId,
        log: env.log,
        registry,
        effects,
        letters,
        behaviours: env.behaviours,
        supervisorOf: (t, actor, rows) => p.actors.supervisorOf(t, actor, rows),
      }
      // Messages the batch's handlers send to actors of this same partition (a session's
      // supervisor and its agents) are handled in this same transaction, after their
      // sender: no outbox row, no hand-off. Only while no earlier local message waits in
      // the queue (it must go first, for its sender's order), and within a budget.
      const cascade = { open: mode === 'optimistic' && !p.localWaiting(), budget: env.tuning.batchSize }
      for (let i = 0; i < decoded.length; i++) {
        const d = decoded[i] as Decoded
        const job = d.delivery.job
        const sentBefore = effects.outbox.length
        const outcome = await dispatch(scope, {
          index: i,
          envelope: d.envelope,
          invalid: d.reason,
          attempt: d.delivery.job || d.delivery.messageId ? p.attemptOf(d.delivery) : 1,
          async firstTime() {
            const id = job ? null : (d.delivery.messageId ?? d.envelope?.id ?? null)
            if (id !== null) {
              if (seen.has(id) || (fresh !== null && !fresh.has(id))) return false
              seen.add(id)
            }
            // A job's outcome counts once: when its row is still there to remove (not cancelled, not handled).
            // Optimistically the commit's last statement removes it (and any row missing rolls back and redoes
            // the batch carefully); carefully, it is removed before the handler runs. Its progress only matters while it runs.
            if (job && (job.progress ? !p.isJobRunning(job.id) : mode === 'careful' && !(await finishJob(trx, job.id)))) return false
            if (job && !job.progress && mode === 'optimistic') effects.deferred.finishedJobs.push(job.id)
            return true
          },
        })
        if (outcome.kind === 'duplicate') {
          duplicates++
          continue
        }
        if (outcome.kind === 'dead-letter') {
          await writeDeadLetter(letterScope, d, outcome.reason, 1, outcome.notify)
          continue
        }
        handled++
        if (outcome.kind === 'stopped') continue
        if (cascade.open && effects.outbox.length > sentBefore) {
          for (const m of effects.outbox.splice(sentBefore)) {
            const local = m.targetPartition === partition && m.sourcePartition === partition
            if (local && cascade.open && cascade.budget > 0) {
              cascade.budget--
              decoded.push(m.built ? cascaded(m.built, m) : decodeItem({ entryId: null, messageId: null, body: m.envelope }))
              continue
            }
            // From the first local message that must wait, all later ones wait too (order).
            if (local) cascade.open = false
            effects.outbox.push(m)
          }
        }
      }
      await writeAppends(trx, effects)
      const tail = finishCommit(trx, {
        partition,
        nodeId: env.nodeId,
        epoch: p.epoch,
        idleTimeoutMs: env.leaseMs,
        inbox: mode === 'optimistic' ? ids : [],
        handled: ids,
        outbox: effects.outbox,
        // An actor stopped by this very batch is stopped now, rightly; one spawned by it (and not stopped since) is active.
        activated: mode === 'optimistic' ? activated.filter((a) => !stopped.has(a) && !spawned.has(a)) : [],
        deferred: effects.deferred,
      })
      // Its own checks fail it (so this COMMIT, right behind it, rolls back): no round trip between them.
      controls.commitNow()
      let check: Awaited<typeof tail>
      try {
        check = await tail
      } catch (error) {
        const refused = commitRefusal(error)
        if (refused === 'fenced') throw new FencedError(partition, p.epoch)
        if (refused === 'duplicate') throw new DuplicateDelivery()
        throw error
      }
      for (const job of effects.deferred.jobs) if (check.insertedJobs.delete(job.id)) effects.jobsToRun.push(recordedJob(job))
    })
  } catch (error) {
    // The commit did not happen: in-memory state of every actor it touched is suspect.
    for (const a of touched) p.actors.remove(a)
    throw error
  }
  p.actors.learnSupervisors(spawned)
  env.counters.batches.inc()
  if (handled > 0) env.counters.handled.inc({ partition }, handled)
  if (duplicates > 0) env.counters.duplicates.inc({ partition }, duplicates)
  if (letters.length > 0) env.counters.deadLettered.inc({ partition }, letters.length)
  p.actors.passivate()
  return { effects, letters }
}

/** Dead-letters one message that kept failing, in its own fenced transaction (its supervisor is told). */
export async function commitDeadLetter(p: BatchPartition, item: QueueItem, reason: string, attempts: number): Promise<CommittedBatch> {
  const { env, partition } = p
  const d = decodeItem(item)
  const effects = emptyEffects()
  const letters: DeadLetterEntry[] = []
  const id = item.job ? null : (item.messageId ?? d.envelope?.id ?? null)
  await env.db.transaction().execute(async (trx) => {
    if (id) await recordInbox(trx, partition, [id])
    if (item.job && !item.job.progress) await finishJob(trx, item.job.id)
    const scope: DeadLetterScope = {
      trx,
      partition,
      partitions: env.partitions,
      nodeId: env.nodeId,
      log: env.log,
      registry: new Map(),
      effects,
      letters,
      behaviours: env.behaviours,
      supervisorOf: (t, actor, rows) => p.actors.supervisorOf(t, actor, rows),
    }
    await writeDeadLetter(scope, d, reason, attempts, true)
    await insertOutbox(trx, effects.outbox)
    if (id) await deleteOutbox(trx, [id])
    if (!(await checkFence(trx, partition, env.nodeId, p.epoch, env.leaseMs))) throw new FencedError(partition, p.epoch)
  })
  env.counters.deadLettered.inc({ partition })
  return { effects, letters }
}

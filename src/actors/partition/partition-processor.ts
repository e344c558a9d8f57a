import { sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import { ActorFailed, type Behaviour, decodeEnvelope, DuplicateDelivery, encodeEnvelope, type Envelope, FencedError, HandlerFailure, isSystemMessageType, JobCompleted, JobFailed, JobProgressed, parseAddress, partitionOf, StopActor } from '../model/index.ts'
import { applyContextOps, type CommitEffects, type ContextOp, createActorContext, emptyEffects, flushDeferred, makeEnvelope, stopActorIn, toOutbox } from '../handling/index.ts'
import { checkFence, claimPartitionJobs, deleteOutbox, deleteTimer, finishJob, insertDeadLetters, insertOutbox, type JobRow, listPartitionJobs, loadRegistry, nextTimerAt, type OutboxMessage, recordedJob, recordInbox, type RegistryEntry, runPipelinedTransaction, staleOutbox, takeDueTimers, unhandledFrom } from '../storage/index.ts'
import { commitRefusal, finishCommit, writeAppends } from './commit.repo.ts'
import type { JobOutcome } from '../workers/index.ts'
import type { RuntimeEnv } from './runtime-env.ts'
import type { DeadLetterEntry, Delivery } from '../transport/index.ts'

interface ActiveActor {
  behaviour: Behaviour
  state: unknown
  /** Undefined until known: actors activated optimistically have not read their registry entry. */
  supervisor: string | null | undefined
}

/** A queued message: read from the transport, handed over locally, or a finished job's outcome. */
interface QueueItem extends Delivery {
  /**
   * A job's outcome for an actor of this partition, handled in place: the commit that
   * handles it also removes the job's row, and that removal is its once-only check (no
   * outbox row, no inbox row, no transport round trip).
   */
  job?: { id: string; envelope: Envelope; progress?: true }
}

type Decoded = { delivery: QueueItem; envelope: Envelope | null; reason: string | null; to: string | null }

/**
 * A message handled in its sender's commit, straight from the envelope its sender built:
 * no text to parse (its body is made only if it must be dead-lettered).
 */
function cascaded(envelope: Envelope, message: OutboxMessage): Decoded {
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
function keyOf(item: QueueItem): string {
  if (item.job) return item.job.progress ? item.job.envelope.id : `job:${item.job.id}`
  return item.messageId ?? item.entryId ?? item.body
}

type ProcessorState = 'running' | 'draining' | 'halted'

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Reading stops this long before the local lease validity ends (longer than one blocking read). */
const READ_MARGIN_MS = 500

/** How long acknowledgements wait to be sent together. */
const ACK_DELAY_MS = 20

/**
 * Runs one owned partition: reads its queue in batches and commits each batch in one
 * fenced transaction (inbox, effects, outbox), then publishes and acknowledges. Handles
 * one message at a time, in queue order, so each actor of the partition runs one
 * message at a time and sees each sender's messages in order.
 */
export class PartitionProcessor {
  readonly partition: number
  readonly epoch: number
  private readonly env: RuntimeEnv
  private state: ProcessorState = 'running'
  private readonly queue: QueueItem[] = []
  private readonly actors = new Map<string, ActiveActor>()
  private readonly failures = new Map<string, number>()
  private readonly jobOutcomes: JobOutcome[] = []
  private readonly runningJobs = new Map<string, JobRow>()
  private readonly inBatch = new Set<string>()
  private nextTimer: number | null = null
  private validUntil: number
  private wakeUp: (() => void) | null = null
  private loop: Promise<void> | null = null
  /** Set by the coordinator: stale outbox rows for this partition exist, or a reclaim round is due. */
  private reconcileRequested = false
  private readonly pendingAcks: string[] = []
  private ackTimer: ReturnType<typeof setTimeout> | null = null
  private reclaimRequested = false
  private readonly knownKinds: ReadonlySet<string>
  /** Called once when a commit finds the lease taken (the coordinator drops the partition). */
  onFenced: (() => void) | null = null

  constructor(env: RuntimeEnv, partition: number, epoch: number) {
    this.env = env
    this.partition = partition
    this.epoch = epoch
    this.validUntil = performance.now() + env.leaseMs
    this.knownKinds = new Set(env.behaviours.keys())
  }

  /** Starts the loop: replays `replay` first, then re-publishes lost outbox rows, then new entries. */
  async start(replay: Delivery[]): Promise<void> {
    // Entries delivered before (the takeover replay) go before anything read since.
    this.queue.unshift(...replay)
    this.nextTimer = await nextTimerAt(this.env.db, this.partition)
    await this.republishOutbound()
    await this.reconcile(0)
    for (const job of await claimPartitionJobs(this.env.db, this.partition)) {
      // A job that already ran on nodes that went away this often is reported lost rather than run again.
      if (job.attempts > 3) this.jobOutcomes.push({ jobId: job.id, kind: job.kind, ok: false, reason: 'lost', error: 'the job was lost with its node too often' })
      this.runningJobs.set(job.id, job)
      if (job.attempts <= 3) this.runJob(job)
    }
    this.loop = this.run()
  }

  /** Entries read from the transport. */
  deliver(deliveries: Delivery[]): void {
    if (this.state === 'halted') return
    this.queue.push(...deliveries)
    this.wake()
  }

  /** Messages committed on this node for this partition: handed over without a transport round trip. */
  enqueueLocal(messages: OutboxMessage[]): void {
    for (const m of messages) this.queue.push({ entryId: null, messageId: m.messageId, body: m.envelope })
    this.wake()
  }

  /** True while new work may be handed to this processor. */
  get accepting(): boolean {
    return this.state === 'running'
  }

  /**
   * How many more entries the queue takes before reading pauses. Reading also stops
   * well before the lease could run out (more than one blocking read earlier), so a
   * node that lost its lease cannot take entries from the stream after the next owner
   * claimed its pending ones.
   */
  capacity(): number {
    if (this.state !== 'running' || performance.now() > this.validUntil - READ_MARGIN_MS) return 0
    return Math.max(0, this.env.tuning.queueHighWater - this.queue.length)
  }

  /** Called after each lease renewal: commits may start until `until` (performance.now() time). */
  renewed(until: number): void {
    this.validUntil = until
    this.wake()
  }

  /** Message ids queued or being handled (for the reconciler). */
  queuedIds(): Set<string> {
    const ids = new Set(this.inBatch)
    for (const d of this.queue) if (d.messageId) ids.add(d.messageId)
    return ids
  }

  /** Queue length (metrics). */
  get queued(): number {
    return this.queue.length
  }

  /**
   * Re-publishes outbox rows for this partition older than `minAgeMs` that are not in
   * the mailbox (lost by a crashed sender or a restarted Redis), in outbox order.
   */
  async reconcile(minAgeMs: number): Promise<number> {
    const stale = await staleOutbox(this.env.db, this.partition, minAgeMs, 5000)
    if (stale.length === 0) return 0
    const present = await this.env.transport.present(this.partition)
    for (const id of this.queuedIds()) present.add(id)
    const missing = stale.filter((m) => !present.has(m.messageId))
    if (missing.length > 0) {
      this.env.log.info('re-publishing outbox messages missing from their mailbox', { partition: this.partition, count: missing.length })
      this.enqueueLocal(missing)
    }
    return missing.length
  }

  /** Publishes what this partition's actors sent under the previous owner and nobody handled yet, in order. */
  private async republishOutbound(): Promise<void> {
    for (;;) {
      const rows = await unhandledFrom(this.env.db, this.partition, 5000)
      const elsewhere = rows.filter((m) => m.targetPartition !== this.partition)
      // Rows addressed to this partition itself are taken care of by reconcile(0).
      if (elsewhere.length > 0) await this.env.route(elsewhere)
      if (rows.length < 5000) return
    }
  }

  /** Asks the loop to re-publish outbox rows missing from the mailbox (the coordinator found stale ones). */
  requestReconcile(): void {
    this.reconcileRequested = true
    this.wake()
  }

  /** Asks the loop to take back entries pending too long (lost acknowledgements). */
  requestReclaim(): void {
    this.reclaimRequested = true
    this.wake()
  }

  /** A Worker-pool job of this partition finished. */
  jobDone(outcome: JobOutcome): void {
    const job = this.runningJobs.get(outcome.jobId)
    if (this.state === 'halted' || !job) return
    // A lost Worker is also reported to the actor's supervisor: that takes the general path.
    const workerLost = !outcome.ok && (outcome.reason === 'crashed' || outcome.reason === 'hung' || outcome.reason === 'lost')
    if (!workerLost && partitionOf(job.replyTo, this.env.partitions) === this.partition) {
      const message = outcome.ok
        ? JobCompleted({ job_id: job.id, kind: outcome.kind, output: outcome.output })
        : JobFailed({ job_id: job.id, kind: outcome.kind, reason: outcome.reason, error: outcome.error })
      this.queue.push({ entryId: null, messageId: null, body: '', job: { id: job.id, envelope: makeEnvelope(job.replyTo, message, { from: job.actor }) } })
    } else this.jobOutcomes.push(outcome)
    this.wake()
  }

  /**
   * A running job's progress: handed in place to the actor that will get its outcome, when
   * that actor's behaviour accepts JobProgressed (ephemeral: no row, dropped if the job ends first).
   */
  jobProgress(jobId: string, data: unknown): void {
    const job = this.runningJobs.get(jobId)
    if (this.state !== 'running' || !job || partitionOf(job.replyTo, this.env.partitions) !== this.partition) return
    const kind = parseAddress(job.replyTo)?.kind
    if (!kind || !this.env.behaviours.get(kind)?.accepts.has(JobProgressed.type)) return
    const envelope = makeEnvelope(job.replyTo, JobProgressed({ job_id: jobId, kind: job.kind, data }), { from: job.actor })
    this.queue.push({ entryId: null, messageId: null, body: '', job: { id: jobId, envelope, progress: true } })
    this.wake()
  }

  /** Finishes what is queued (no new entries), aborts its running jobs, then resolves. */
  async drain(): Promise<void> {
    if (this.state === 'running') this.state = 'draining'
    await this.env.transport.close(this.partition)
    this.wake()
    await this.loop
    // Acknowledged before the lease goes, so the next owner replays nothing.
    await this.flushAcks()
    this.abortJobs()
  }

  /** Stops at once (lease lost): the queue is dropped; unacknowledged entries stay for the next owner. */
  async halt(): Promise<void> {
    this.state = 'halted'
    this.queue.length = 0
    this.wake()
    await this.env.transport.close(this.partition)
    this.queue.length = 0
    await this.loop
    // What was committed may still be acknowledged; it saves the next owner some replay.
    await this.flushAcks()
    this.abortJobs()
    this.actors.clear()
  }

  /**
   * Acknowledgements wait a few milliseconds and go out together: they are off the
   * critical path (a lost or late ack only means a redelivery, which the inbox skips).
   */
  private scheduleAcks(): void {
    if (this.pendingAcks.length === 0 || this.ackTimer !== null) return
    if (this.pendingAcks.length >= 512) {
      void this.flushAcks()
      return
    }
    this.ackTimer = setTimeout(() => void this.flushAcks(), ACK_DELAY_MS)
  }

  private async flushAcks(): Promise<void> {
    if (this.ackTimer !== null) clearTimeout(this.ackTimer)
    this.ackTimer = null
    if (this.pendingAcks.length === 0) return
    const ids = this.pendingAcks.splice(0, this.pendingAcks.length)
    try {
      await this.env.transport.ack(this.partition, ids)
    } catch (error) {
      this.env.log.warn('ack failed', { partition: this.partition, error: String(error) })
    }
  }

  private abortJobs(): void {
    if (this.runningJobs.size > 0) this.env.jobs.abort([...this.runningJobs.keys()])
    this.runningJobs.clear()
  }

  private wake(): void {
    const w = this.wakeUp
    this.wakeUp = null
    w?.()
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null
        resolve()
      }, Math.max(1, ms))
      this.wakeUp = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  private async run(): Promise<void> {
    let errors = 0
    while (this.state !== 'halted') {
      const draining = this.state === 'draining'
      if (draining && this.queue.length === 0 && this.jobOutcomes.length === 0) break
      const now = Date.now()
      const timerDue = !draining && this.nextTimer !== null && this.nextTimer <= now
      const upkeepDue = !draining && (this.reconcileRequested || this.reclaimRequested)
      if (!timerDue && !upkeepDue && this.queue.length === 0 && this.jobOutcomes.length === 0) {
        const untilTimer = this.nextTimer === null ? Number.POSITIVE_INFINITY : this.nextTimer - now
        await this.idle(Math.min(untilTimer, 1000))
        continue
      }
      // Commits would fail the fence anyway; not starting handlers keeps a paused node from running stale work.
      if (performance.now() > this.validUntil) {
        await this.idle(50)
        continue
      }
      try {
        if (timerDue) await this.fireTimers()
        if (this.jobOutcomes.length > 0) await this.commitJobOutcomes()
        if (this.queue.length > 0) await this.handleNext()
        if (upkeepDue && this.reconcileRequested) {
          this.reconcileRequested = false
          await this.reconcile(this.env.tuning.reconcileAfterMs)
        }
        if (upkeepDue && this.reclaimRequested) {
          this.reclaimRequested = false
          await this.reclaimStale()
        }
        errors = 0
      } catch (error) {
        if (error instanceof FencedError) {
          this.env.log.warn('lease lost: stopping partition', { partition: this.partition, epoch: this.epoch })
          this.state = 'halted'
          this.queue.length = 0
          this.onFenced?.()
          break
        }
        errors++
        this.env.log.warn('partition commit failed; retrying', { partition: this.partition, error: String(error) })
        await this.idle(Math.min(2000, 50 * 2 ** Math.min(errors, 6)))
      }
    }
  }

  /** Entries whose acknowledgement was lost (a restarted Redis) sit pending forever unless taken back. */
  /**
   * The periodic safety net (every 15 s): entries whose acknowledgement was lost (a
   * restarted Redis) sit pending forever unless taken back; a job or timer committed by
   * a commit whose reply was lost was never dispatched or scheduled here.
   */
  private async reclaimStale(): Promise<void> {
    const back = await this.env.transport.reclaim(this.partition, 30_000)
    const queued = this.queuedIds()
    const fresh = back.filter((d) => !d.messageId || !queued.has(d.messageId))
    if (fresh.length > 0) this.queue.push(...fresh)
    const timer = await nextTimerAt(this.env.db, this.partition)
    if (timer !== null) this.nextTimer = Math.min(this.nextTimer ?? timer, timer)
    for (const job of await listPartitionJobs(this.env.db, this.partition)) {
      if (this.runningJobs.has(job.id) || Date.now() - job.createdAt < 10_000) continue
      this.runningJobs.set(job.id, job)
      this.runJob(job)
    }
  }

  private async handleNext(): Promise<void> {
    // The batch is taken once a commit slot is ours: whatever queued while waiting rides along.
    const release = await this.env.commitSlots.acquire()
    let backoffMs = 0
    try {
      backoffMs = await this.handleBatch()
    } finally {
      release()
    }
    // A failing handler's backoff is waited out without the slot.
    if (backoffMs > 0) await this.idle(backoffMs)
  }

  /** Commits the next batch; returns how long to wait before the next (a handler failed), else 0. */
  private async handleBatch(): Promise<number> {
    if (this.state === 'halted' || this.queue.length === 0) return 0
    const items = this.queue.splice(0, this.env.tuning.batchSize)
    for (const d of items) if (d.messageId) this.inBatch.add(d.messageId)
    try {
      try {
        await this.commitItems(items, 'optimistic')
      } catch (error) {
        // Some were handled before (a redelivery): redo with the inbox checked first.
        if (!(error instanceof DuplicateDelivery)) throw error
        await this.commitItems(items, 'careful')
      }
    } catch (error) {
      if (!(error instanceof HandlerFailure)) {
        this.queue.unshift(...items)
        throw error
      }
      return await this.handleOneByOne(items)
    } finally {
      this.inBatch.clear()
    }
    return 0
  }

  /**
   * After a batch failed on a handler: commit one message per transaction so only the
   * failing one is retried. Returns the backoff before that retry (0 when none failed).
   */
  private async handleOneByOne(items: QueueItem[]): Promise<number> {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as QueueItem
      try {
        await this.commitItems([item], 'careful')
      } catch (error) {
        if (!(error instanceof HandlerFailure)) {
          this.queue.unshift(...items.slice(i))
          throw error
        }
        if (!(await this.databaseAnswers())) {
          // The handler failed because PostgreSQL did: not the message's fault, so not a failed delivery.
          this.queue.unshift(...items.slice(i))
          throw error.cause ?? error
        }
        const key = keyOf(item)
        const attempts = (this.failures.get(key) ?? 0) + 1
        this.failures.set(key, attempts)
        this.env.counters.failed.inc({ partition: this.partition })
        const cause = error.cause instanceof Error ? error.cause.message : String(error.cause)
        this.env.log.warn('handler failed', { partition: this.partition, message_id: item.messageId, attempt: attempts, error: cause })
        if (attempts >= this.env.tuning.maxDeliveries) {
          this.failures.delete(key)
          await this.commitDeadLetter(item, `handler failed ${attempts} times: ${cause}`, attempts)
          continue
        }
        // Head-of-line: later messages wait, so each sender's order holds for the failing actor.
        this.queue.unshift(...items.slice(i))
        return this.env.tuning.retryBaseMs * 2 ** (attempts - 1)
      }
    }
    return 0
  }

  /** Whether PostgreSQL answers now (within a second). */
  private async databaseAnswers(): Promise<boolean> {
    const probe = sql`select 1`.execute(this.env.db).then(
      () => true,
      () => false,
    )
    return Promise.race([probe, sleep(1000).then(() => false)])
  }

  private decode(delivery: QueueItem): Decoded {
    if (delivery.job) return { delivery, envelope: delivery.job.envelope, reason: null, to: delivery.job.envelope.to }
    const result = decodeEnvelope(delivery.body)
    if (!result.ok) return { delivery, envelope: null, reason: result.reason, to: result.to }
    if (delivery.messageId !== null && delivery.messageId !== result.envelope.id) {
      return { delivery, envelope: null, reason: 'invalid envelope: id does not match the entry', to: result.envelope.to }
    }
    return { delivery, envelope: result.envelope, reason: null, to: result.envelope.to }
  }

  /**
   * One fenced transaction for `items`: handlers, effects, inbox, outbox; then publish
   * and acknowledge. `optimistic` runs the handlers first and records the inbox last (in
   * the same round trip as the outbox and the fence), so a handler starts one round trip
   * after BEGIN; a duplicate then rolls everything back (DuplicateDelivery) and the
   * caller retries `careful`ly, recording the inbox before any handler runs.
   */
  private async commitItems(items: QueueItem[], mode: 'optimistic' | 'careful'): Promise<void> {
    const { env, partition } = this
    const decoded = items.map((d) => this.decode(d))
    const effects = emptyEffects()
    const letters: DeadLetterEntry[] = []
    const touched = new Set<string>()
    const stopped = new Set<string>()
    const spawned = new Map<string, string>()
    let handled = 0
    let duplicates = 0
    const ids = [
      ...new Set(decoded.filter((d) => !d.delivery.job).map((d) => d.delivery.messageId ?? d.envelope?.id).filter((x): x is string => !!x)),
    ]
    try {
      await runPipelinedTransaction(env.db, async (trx, controls) => {
        const fresh = mode === 'careful' ? await recordInbox(trx, partition, ids, env.leaseMs) : null
        const seen = new Set<string>()
        const inactive = [...new Set(decoded.map((d) => d.to).filter((a): a is string => !!a && !this.actors.has(a)))]
        // Optimistically, whether a newly activated actor was stopped is checked at the end, in the same round trip as the inbox.
        const registry = mode === 'careful' ? await loadRegistry(trx, inactive) : new Map<string, RegistryEntry>()
        const activated: string[] = []
        const deadLetter = async (d: Decoded, reason: string, attempts: number, notify: boolean): Promise<void> => {
          await this.writeDeadLetter(trx, d, reason, attempts, notify, registry, effects, letters)
        }
        // Messages the batch's handlers send to actors of this same partition (a session's
        // supervisor and its agents) are handled in this same transaction, after their
        // sender: no outbox row, no hand-off. Only while no earlier local message waits in
        // the queue (it must go first, for its sender's order), and within a budget.
        const cascade = { open: mode === 'optimistic' && !this.queue.some((q) => q.entryId === null && !q.job), budget: env.tuning.batchSize }
        for (let i = 0; i < decoded.length; i++) {
          const d = decoded[i] as Decoded
          const job = d.delivery.job
          const id = job ? null : (d.delivery.messageId ?? d.envelope?.id ?? null)
          if (id !== null) {
            if (seen.has(id) || (fresh !== null && !fresh.has(id))) {
              duplicates++
              continue
            }
            seen.add(id)
          }
          // A job's outcome counts once: when its row is still there to remove (not cancelled, not handled).
          // Optimistically the commit's last statement removes it (and any row missing rolls back and redoes
          // the batch carefully); carefully, it is removed before the handler runs. Its progress only matters while it runs.
          if (job && (job.progress ? !this.runningJobs.has(job.id) : mode === 'careful' && !(await finishJob(trx, job.id)))) {
            duplicates++
            continue
          }
          if (job && !job.progress && mode === 'optimistic') effects.deferred.finishedJobs.push(job.id)
          const envelope = d.envelope
          if (!envelope) {
            await deadLetter(d, d.reason ?? 'invalid envelope', 1, true)
            continue
          }
          const self = envelope.to
          const kind = (parseAddress(self) as { kind: string }).kind
          const behaviour = env.behaviours.get(kind)
          if (!behaviour) {
            await deadLetter(d, `no behaviour registered for kind "${kind}"`, 1, false)
            continue
          }
          let actor = this.actors.get(self)
          if (actor) {
            // Least-recently-used order: Map keeps insertion order.
            this.actors.delete(self)
            this.actors.set(self, actor)
          } else {
            const entry: RegistryEntry | undefined = registry.get(self)
            if (entry?.status === 'stopped' || stopped.has(self)) {
              await deadLetter(d, 'actor stopped', 1, false)
              continue
            }
            touched.add(self)
            activated.push(self)
            let state: unknown
            try {
              state = await behaviour.activate({ self, trx, log: env.log })
            } catch (error) {
              throw new HandlerFailure(i, error)
            }
            actor = { behaviour, state, supervisor: mode === 'careful' ? (entry?.supervisor ?? null) : undefined }
            this.actors.set(self, actor)
          }
          if (envelope.type === StopActor.type) {
            await stopActorIn(trx, { partition, self, kind, effects })
            stopped.add(self)
            this.actors.delete(self)
            handled++
            continue
          }
          const type = behaviour.accepts.get(envelope.type)
          if (!type) {
            await deadLetter(d, `message type "${envelope.type}" is not accepted by "${kind}"`, 1, true)
            continue
          }
          const payload = type.schema.safeParse(envelope.payload)
          if (!payload.success) {
            const why = payload.error.issues.map((x) => `${x.path.join('.') || 'payload'} ${x.message}`).join('; ')
            await deadLetter(d, `invalid payload for "${envelope.type}": ${why}`, 1, true)
            continue
          }
          touched.add(self)
          const sentBefore = effects.outbox.length
          const ops: ContextOp[] = []
          const key = d.delivery.job || d.delivery.messageId ? keyOf(d.delivery) : envelope.id
          const ctx = createActorContext({
            self,
            trx,
            envelope,
            attempt: (this.failures.get(key) ?? 0) + 1,
            state: actor.state,
            log: env.log,
            partitions: env.partitions,
            knownKinds: this.knownKinds,
            effects,
            ops,
          })
          try {
            await behaviour.receive({ type: envelope.type, payload: payload.data }, ctx)
            actor.state = ctx.state
            // A reply to this actor's own ask: its timeout timer is no longer needed.
            if (envelope.correlation_id && !envelope.reply_to) await deleteTimer(trx, self, { key: `ask:${envelope.correlation_id}` })
            await applyContextOps(trx, { partition, self, kind, effects, stopped, spawned }, ops)
          } catch (error) {
            throw new HandlerFailure(i, error)
          }
          if (stopped.has(self)) this.actors.delete(self)
          handled++
          if (cascade.open && effects.outbox.length > sentBefore) {
            for (const m of effects.outbox.splice(sentBefore)) {
              const local = m.targetPartition === partition && m.sourcePartition === partition
              if (local && cascade.open && cascade.budget > 0) {
                cascade.budget--
                decoded.push(m.built ? cascaded(m.built, m) : this.decode({ entryId: null, messageId: null, body: m.envelope }))
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
          epoch: this.epoch,
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
          if (refused === 'fenced') throw new FencedError(partition, this.epoch)
          if (refused === 'duplicate') throw new DuplicateDelivery()
          throw error
        }
        for (const job of effects.deferred.jobs) if (check.insertedJobs.delete(job.id)) effects.jobsToRun.push(recordedJob(job))
      })
    } catch (error) {
      // The commit did not happen: in-memory state of every actor it touched is suspect.
      for (const a of touched) this.actors.delete(a)
      throw error
    }
    for (const [child, supervisor] of spawned) {
      const a = this.actors.get(child)
      if (a) a.supervisor = supervisor
    }
    for (const d of items) {
      if (this.failures.size > 0) this.failures.delete(keyOf(d))
      if (d.job && !d.job.progress) this.runningJobs.delete(d.job.id)
    }
    env.counters.batches.inc()
    if (handled > 0) env.counters.handled.inc({ partition }, handled)
    if (duplicates > 0) env.counters.duplicates.inc({ partition }, duplicates)
    if (letters.length > 0) env.counters.deadLettered.inc({ partition }, letters.length)
    this.passivate()
    await this.afterCommit(effects, items, letters)
  }

  private async writeDeadLetter(
    trx: Transaction<Database>,
    d: Decoded,
    reason: string,
    attempts: number,
    notify: boolean,
    registry: Map<string, RegistryEntry>,
    effects: CommitEffects,
    letters: DeadLetterEntry[],
  ): Promise<void> {
    const envelope = d.envelope
    const messageId = d.delivery.messageId ?? envelope?.id ?? null
    const body = d.delivery.job ? encodeEnvelope(d.delivery.job.envelope) : d.delivery.body
    await insertDeadLetters(trx, [{ partition: this.partition, messageId, actor: d.to, messageType: envelope?.type ?? null, reason, attempts, envelope: body }])
    letters.push({ messageId, body, reason, attempts, nodeId: this.env.nodeId })
    this.env.log.warn('message dead-lettered', { partition: this.partition, message_id: messageId, actor: d.to, reason })
    if (!notify || !d.to || (envelope && isSystemMessageType(envelope.type))) return
    // The supervisor lookup reads the registry: spawns of this commit go first.
    await flushDeferred(trx, effects)
    const supervisor = await this.supervisorOf(trx, d.to, registry)
    if (!supervisor) return
    const failed = ActorFailed({
      address: d.to,
      reason: 'dead-lettered',
      detail: reason,
      message_id: messageId,
      message_type: envelope?.type ?? null,
      job_id: null,
    })
    effects.outbox.push(toOutbox(makeEnvelope(supervisor, failed, { from: d.to }), this.env.partitions))
  }

  /** The actor's supervisor: from memory, the batch's registry rows, or the registry table. */
  private async supervisorOf(trx: Transaction<Database>, actor: string, registry: Map<string, RegistryEntry>): Promise<string | null> {
    const known = this.actors.get(actor)?.supervisor
    if (known !== undefined) return known
    const entry = registry.has(actor) ? registry.get(actor) : (await loadRegistry(trx, [actor])).get(actor)
    const supervisor = entry?.supervisor ?? null
    const active = this.actors.get(actor)
    if (active) active.supervisor = supervisor
    return supervisor
  }

  /** Dead-letters one message that kept failing, in its own fenced transaction. */
  private async commitDeadLetter(item: QueueItem, reason: string, attempts: number): Promise<void> {
    const d = this.decode(item)
    const effects = emptyEffects()
    const letters: DeadLetterEntry[] = []
    const id = item.job ? null : (item.messageId ?? d.envelope?.id ?? null)
    await this.env.db.transaction().execute(async (trx) => {
      if (id) await recordInbox(trx, this.partition, [id])
      if (item.job && !item.job.progress) await finishJob(trx, item.job.id)
      await this.writeDeadLetter(trx, d, reason, attempts, true, new Map(), effects, letters)
      await insertOutbox(trx, effects.outbox)
      if (id) await deleteOutbox(trx, [id])
      if (!(await checkFence(trx, this.partition, this.env.nodeId, this.epoch, this.env.leaseMs))) {
        throw new FencedError(this.partition, this.epoch)
      }
    })
    this.env.counters.deadLettered.inc({ partition: this.partition })
    if (item.job && !item.job.progress) this.runningJobs.delete(item.job.id)
    await this.afterCommit(effects, [item], letters)
  }

  /** Publishes what the commit produced, then acknowledges the handled entries. */
  private async afterCommit(effects: CommitEffects, items: Delivery[], letters: DeadLetterEntry[]): Promise<void> {
    const { env, partition } = this
    if (letters.length > 0) {
      env.transport.deadLetter(partition, letters).catch((error) => env.log.warn('dead-letter stream write failed', { partition, error: String(error) }))
    }
    await this.publish(effects.outbox)
    for (const d of items) if (d.entryId !== null) this.pendingAcks.push(d.entryId)
    this.scheduleAcks()
    for (const r of effects.replies) {
      env.transport.publishReply(r.nodeId, r.body).catch((error) => env.log.debug('reply not delivered', { error: String(error) }))
    }
    if (effects.jobsToAbort.length > 0) {
      env.jobs.abort(effects.jobsToAbort)
      for (const id of effects.jobsToAbort) this.runningJobs.delete(id)
    }
    // A job submitted and cancelled in the same commit never starts.
    const cancelled = new Set(effects.jobsToAbort)
    for (const job of effects.jobsToRun) {
      if (cancelled.has(job.id)) continue
      this.runningJobs.set(job.id, job)
      this.runJob(job)
    }
    if (effects.earliestTimer !== null) this.nextTimer = Math.min(this.nextTimer ?? effects.earliestTimer, effects.earliestTimer)
    for (const callback of effects.afterCommit) {
      try {
        callback()
      } catch (error) {
        env.log.warn('after-commit callback failed', { partition, error: String(error) })
      }
    }
  }

  /** Publishes committed messages in order, retrying while the transport is down (the reconciler covers a crash). */
  private async publish(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return
    for (let attempt = 0; ; attempt++) {
      try {
        await this.env.route(messages)
        this.env.counters.published.inc({}, messages.length)
        return
      } catch (error) {
        if (this.state === 'halted') return
        if (attempt === 0) this.env.log.warn('publishing failed; retrying', { partition: this.partition, error: String(error) })
        await sleep(Math.min(2000, 50 * 2 ** Math.min(attempt, 6)))
      }
    }
  }

  private runJob(job: JobRow): void {
    this.env.jobs.run(job, (outcome) => this.jobDone(outcome))
    // Once dispatched, only what routes its outcome is needed (a takeover re-reads the row).
    if (this.runningJobs.has(job.id)) this.runningJobs.set(job.id, { ...job, input: '' })
  }

  private async fireTimers(): Promise<void> {
    const messages: OutboxMessage[] = []
    let full = false
    await this.env.db.transaction().execute(async (trx) => {
      const due = await takeDueTimers(trx, this.partition, 500)
      full = due.length === 500
      for (const t of due) messages.push({ messageId: t.id, targetPartition: this.partition, sourcePartition: this.partition, envelope: t.envelope })
      await insertOutbox(trx, messages)
      if (!(await checkFence(trx, this.partition, this.env.nodeId, this.epoch, this.env.leaseMs))) {
        throw new FencedError(this.partition, this.epoch)
      }
    })
    this.nextTimer = full ? Date.now() : await nextTimerAt(this.env.db, this.partition)
    if (messages.length > 0) this.env.counters.timersFired.inc({ partition: this.partition }, messages.length)
    await this.publish(messages)
  }

  private async commitJobOutcomes(): Promise<void> {
    const outcomes = this.jobOutcomes.splice(0, this.jobOutcomes.length)
    const effects = emptyEffects()
    try {
      await this.env.db.transaction().execute(async (trx) => {
        for (const o of outcomes) {
          const job = this.runningJobs.get(o.jobId)
          if (!job || !(await finishJob(trx, o.jobId))) continue
          const message = o.ok
            ? JobCompleted({ job_id: o.jobId, kind: o.kind, output: o.output })
            : JobFailed({ job_id: o.jobId, kind: o.kind, reason: o.reason, error: o.error })
          effects.outbox.push(toOutbox(makeEnvelope(job.replyTo, message, { from: job.actor }), this.env.partitions))
          if (!o.ok && (o.reason === 'crashed' || o.reason === 'hung' || o.reason === 'lost')) {
            const supervisor = await this.supervisorOf(trx, job.actor, new Map())
            if (supervisor) {
              const reason = o.reason === 'crashed' ? 'worker-crashed' : o.reason === 'hung' ? 'worker-hung' : 'job-lost'
              const failed = ActorFailed({ address: job.actor, reason, detail: o.error, message_id: null, message_type: null, job_id: o.jobId })
              effects.outbox.push(toOutbox(makeEnvelope(supervisor, failed, { from: job.actor }), this.env.partitions))
            }
          }
        }
        await insertOutbox(trx, effects.outbox)
        if (!(await checkFence(trx, this.partition, this.env.nodeId, this.epoch, this.env.leaseMs))) {
          throw new FencedError(this.partition, this.epoch)
        }
      })
    } catch (error) {
      this.jobOutcomes.unshift(...outcomes)
      throw error
    }
    for (const o of outcomes) this.runningJobs.delete(o.jobId)
    await this.publish(effects.outbox)
  }

  private passivate(): void {
    const excess = this.actors.size - this.env.tuning.maxActiveActors
    if (excess <= 0) return
    let n = 0
    for (const key of this.actors.keys()) {
      if (n++ >= excess) break
      this.actors.delete(key)
    }
  }
}

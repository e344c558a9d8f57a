import { DuplicateDelivery, FencedError, HandlerFailure } from '../model/index.ts'
import { claimPartitionJobs, databaseAnswers, listPartitionJobs, nextTimerAt, type OutboxMessage } from '../storage/index.ts'
import type { Delivery } from '../transport/index.ts'
import type { JobOutcome } from '../workers/index.ts'
import { ActorCache } from './actor-cache.ts'
import { type BatchPartition, type CommitMode, type CommittedBatch, commitBatch, commitDeadLetter } from './batch-commit.ts'
import { JobTracker } from './job-tracker.ts'
import { announceCommit, fireDueTimers, publishCommitted, runAfterCommit } from './publish.ts'
import { keyOf, type QueueItem } from './queue-item.ts'
import { missingFromMailbox, republishOutbound } from './reconcile.ts'
import type { RuntimeEnv } from './runtime-env.ts'

type ProcessorState = 'running' | 'draining' | 'halted'

/** Reading stops this long before the local lease validity ends (longer than one blocking read). */
const READ_MARGIN_MS = 500

/**
 * Runs one owned partition: its loop takes the queue in batches and commits each batch in
 * one fenced transaction (batch-commit.ts), then publishes and acknowledges; it also fires
 * due timers, commits job outcomes that go through the outbox, and stops reading before
 * its lease could run out. Handles one message at a time, in queue order, so each actor
 * of the partition runs one message at a time and sees each sender's messages in order.
 */
export class PartitionProcessor {
  readonly partition: number
  readonly epoch: number
  private readonly env: RuntimeEnv
  private state: ProcessorState = 'running'
  private readonly queue: QueueItem[] = []
  private readonly actors: ActorCache
  private readonly jobs: JobTracker
  /** Handler failures per queue item (keyOf), for redelivery backoff and dead-lettering. */
  private readonly failures = new Map<string, number>()
  private readonly inBatch = new Set<string>()
  private readonly batch: BatchPartition
  private nextTimer: number | null = null
  private validUntil: number
  private wakeUp: (() => void) | null = null
  private loop: Promise<void> | null = null
  /** Set by the coordinator: stale outbox rows for this partition exist, or a reclaim round is due. */
  private reconcileRequested = false
  private reclaimRequested = false
  /** Called once when a commit finds the lease taken (the coordinator drops the partition). */
  onFenced: (() => void) | null = null

  constructor(env: RuntimeEnv, partition: number, epoch: number) {
    this.env = env
    this.partition = partition
    this.epoch = epoch
    this.validUntil = performance.now() + env.leaseMs
    this.actors = new ActorCache(env.tuning.maxActiveActors)
    this.jobs = new JobTracker(env, partition)
    this.batch = {
      env,
      partition,
      epoch,
      knownKinds: new Set(env.behaviours.keys()),
      actors: this.actors,
      isJobRunning: (jobId) => this.jobs.has(jobId),
      attemptOf: (item) => (this.failures.get(keyOf(item)) ?? 0) + 1,
      localWaiting: () => this.queue.some((q) => q.entryId === null && !q.job),
    }
  }

  /** Starts the loop: replays `replay` first, then re-publishes lost outbox rows, then new entries. */
  async start(replay: Delivery[]): Promise<void> {
    // Entries delivered before (the takeover replay) go before anything read since.
    this.queue.unshift(...replay)
    this.nextTimer = await nextTimerAt(this.env.db, this.partition)
    await republishOutbound(this.env, this.partition)
    await this.reconcile(0)
    this.jobs.adopt(await claimPartitionJobs(this.env.db, this.partition), this.done)
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
    const missing = await missingFromMailbox(this.env, this.partition, minAgeMs, this.queuedIds())
    if (missing.length > 0) {
      this.env.log.info('re-publishing outbox messages missing from their mailbox', { partition: this.partition, count: missing.length })
      this.enqueueLocal(missing)
    }
    return missing.length
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
    if (this.state === 'halted') return
    const item = this.jobs.outcomeItem(outcome)
    if (item === 'unknown') return
    if (item) this.queue.push(item)
    this.wake()
  }

  private readonly done = (outcome: JobOutcome): void => this.jobDone(outcome)

  /**
   * A running job's progress: handed in place to the actor that will get its outcome, when
   * that actor's behaviour accepts JobProgressed (ephemeral: no row, dropped if the job ends first).
   */
  jobProgress(jobId: string, data: unknown): void {
    if (this.state !== 'running') return
    const item = this.jobs.progressItem(jobId, data)
    if (!item) return
    this.queue.push(item)
    this.wake()
  }

  /** Finishes what is queued (no new entries), aborts its running jobs, then resolves. */
  async drain(): Promise<void> {
    if (this.state === 'running') this.state = 'draining'
    await this.env.transport.close(this.partition)
    this.wake()
    await this.loop
    // Acknowledged before the lease goes, so the next owner replays nothing.
    await this.env.acks.flush(this.partition)
    this.jobs.abortAll()
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
    await this.env.acks.flush(this.partition)
    this.jobs.abortAll()
    this.actors.clear()
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
      const outcomes = this.jobs.pendingOutcomes
      if (draining && this.queue.length === 0 && outcomes === 0) break
      const now = Date.now()
      const timerDue = !draining && this.nextTimer !== null && this.nextTimer <= now
      const upkeepDue = !draining && (this.reconcileRequested || this.reclaimRequested)
      if (!timerDue && !upkeepDue && this.queue.length === 0 && outcomes === 0) {
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
        if (timerDue) {
          const fired = await fireDueTimers(this.env, this.partition, this.epoch)
          this.nextTimer = fired.next
          await this.publish(fired.messages)
        }
        if (this.jobs.pendingOutcomes > 0) await this.publish(await this.jobs.commitOutcomes(this.epoch, (t, a, r) => this.actors.supervisorOf(t, a, r)))
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
      if (this.jobs.has(job.id) || Date.now() - job.createdAt < 10_000) continue
      this.jobs.run(job, this.done)
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
        await this.commit(items, 'optimistic')
      } catch (error) {
        // Some were handled before (a redelivery): redo with the inbox checked first.
        if (!(error instanceof DuplicateDelivery)) throw error
        await this.commit(items, 'careful')
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

  /** Commits `items` as one batch, then forgets their failures and finished jobs, publishes and acknowledges. */
  private async commit(items: QueueItem[], mode: CommitMode): Promise<void> {
    const committed = await commitBatch(this.batch, items, mode)
    for (const d of items) {
      if (this.failures.size > 0) this.failures.delete(keyOf(d))
      if (d.job && !d.job.progress) this.jobs.forget([d.job.id])
    }
    await this.afterCommit(committed, items)
  }

  /**
   * After a batch failed on a handler: commit one message per transaction so only the
   * failing one is retried. Returns the backoff before that retry (0 when none failed).
   */
  private async handleOneByOne(items: QueueItem[]): Promise<number> {
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as QueueItem
      try {
        await this.commit([item], 'careful')
      } catch (error) {
        if (!(error instanceof HandlerFailure)) {
          this.queue.unshift(...items.slice(i))
          throw error
        }
        if (!(await databaseAnswers(this.env.db, 1000))) {
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
          const letter = await commitDeadLetter(this.batch, item, `handler failed ${attempts} times: ${cause}`, attempts)
          if (item.job && !item.job.progress) this.jobs.forget([item.job.id])
          await this.afterCommit(letter, [item])
          continue
        }
        // Head-of-line: later messages wait, so each sender's order holds for the failing actor.
        this.queue.unshift(...items.slice(i))
        return this.env.tuning.retryBaseMs * 2 ** (attempts - 1)
      }
    }
    return 0
  }

  /** Publishes what the commit produced and acknowledges it; starts and aborts its jobs, notes its timers, runs its callbacks. */
  private async afterCommit(committed: CommittedBatch, items: Delivery[]): Promise<void> {
    const { effects } = committed
    await announceCommit(this.env, this.partition, committed, items, this.halted)
    if (effects.jobsToAbort.length > 0) {
      this.env.jobs.abort(effects.jobsToAbort)
      this.jobs.forget(effects.jobsToAbort)
    }
    // A job submitted and cancelled in the same commit never starts.
    const cancelled = new Set(effects.jobsToAbort)
    for (const job of effects.jobsToRun) if (!cancelled.has(job.id)) this.jobs.run(job, this.done)
    if (effects.earliestTimer !== null) this.nextTimer = Math.min(this.nextTimer ?? effects.earliestTimer, effects.earliestTimer)
    runAfterCommit(this.env, this.partition, effects.afterCommit)
  }

  private readonly halted = (): boolean => this.state === 'halted'

  private publish(messages: OutboxMessage[]): Promise<void> {
    return publishCommitted(this.env, this.partition, messages, this.halted)
  }
}

import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import { makeEnvelope, toOutbox } from '../handling/index.ts'
import { ActorFailed, FencedError, JobCompleted, JobFailed, JobProgressed, parseAddress, partitionOf } from '../model/index.ts'
import { checkFence, finishJob, insertOutbox, type JobRow, type OutboxMessage, type RegistryEntry } from '../storage/index.ts'
import type { JobOutcome } from '../workers/index.ts'
import type { QueueItem } from './queue-item.ts'
import type { RuntimeEnv } from './runtime-env.ts'

/** A lost Worker: also reported to the job's actor's supervisor. */
function workerLost(outcome: JobOutcome): boolean {
  return !outcome.ok && (outcome.reason === 'crashed' || outcome.reason === 'hung' || outcome.reason === 'lost')
}

/**
 * A partition's Worker-pool jobs: which run here, and where each outcome goes. An outcome
 * for an actor of this partition is queued in place (handled in the commit that removes
 * the job's row); any other, and every lost Worker, is committed apart as outbox messages.
 */
export class JobTracker {
  private readonly env: RuntimeEnv
  private readonly partition: number
  private readonly running = new Map<string, JobRow>()
  private readonly outcomes: JobOutcome[] = []

  constructor(env: RuntimeEnv, partition: number) {
    this.env = env
    this.partition = partition
  }

  /** Whether the job is running here. */
  has(jobId: string): boolean {
    return this.running.has(jobId)
  }

  /** Outcomes waiting for their own commit. */
  get pendingOutcomes(): number {
    return this.outcomes.length
  }

  /** Takes over the partition's recorded jobs: runs them again, or reports them lost after too many nodes went away. */
  adopt(jobs: JobRow[], done: (outcome: JobOutcome) => void): void {
    for (const job of jobs) {
      // A job that already ran on nodes that went away this often is reported lost rather than run again.
      if (job.attempts > 3) this.outcomes.push({ jobId: job.id, kind: job.kind, ok: false, reason: 'lost', error: 'the job was lost with its node too often' })
      this.running.set(job.id, job)
      if (job.attempts <= 3) this.run(job, done)
    }
  }

  /** Dispatches a recorded job to the pool. */
  run(job: JobRow, done: (outcome: JobOutcome) => void): void {
    this.running.set(job.id, job)
    this.env.jobs.run(job, done)
    // Once dispatched, only what routes its outcome is needed (a takeover re-reads the row).
    if (this.running.has(job.id)) this.running.set(job.id, { ...job, input: '' })
  }

  /** A job's outcome arrived: the queue item that handles it in place, or null (committed apart, or unknown here). */
  outcomeItem(outcome: JobOutcome): QueueItem | null | 'unknown' {
    const job = this.running.get(outcome.jobId)
    if (!job) return 'unknown'
    if (!workerLost(outcome) && partitionOf(job.replyTo, this.env.partitions) === this.partition) {
      const message = outcome.ok
        ? JobCompleted({ job_id: job.id, kind: outcome.kind, output: outcome.output })
        : JobFailed({ job_id: job.id, kind: outcome.kind, reason: outcome.reason, error: outcome.error })
      return { entryId: null, messageId: null, body: '', job: { id: job.id, envelope: makeEnvelope(job.replyTo, message, { from: job.actor }) } }
    }
    this.outcomes.push(outcome)
    return null
  }

  /**
   * A running job's progress, as a queue item for the actor that will get its outcome when
   * that actor is of this partition and its behaviour accepts JobProgressed; else null.
   */
  progressItem(jobId: string, data: unknown): QueueItem | null {
    const job = this.running.get(jobId)
    if (!job || partitionOf(job.replyTo, this.env.partitions) !== this.partition) return null
    const kind = parseAddress(job.replyTo)?.kind
    if (!kind || !this.env.behaviours.get(kind)?.accepts.has(JobProgressed.type)) return null
    const envelope = makeEnvelope(job.replyTo, JobProgressed({ job_id: jobId, kind: job.kind, data }), { from: job.actor })
    return { entryId: null, messageId: null, body: '', job: { id: jobId, envelope, progress: true } }
  }

  /** The jobs are finished or cancelled: no longer tracked. */
  forget(jobIds: Iterable<string>): void {
    for (const id of jobIds) this.running.delete(id)
  }

  /** Aborts every job running here (the partition moves away). */
  abortAll(): void {
    if (this.running.size > 0) this.env.jobs.abort([...this.running.keys()])
    this.running.clear()
  }

  /**
   * Commits the outcomes that go through the outbox in one fenced transaction (and an
   * ActorFailed to the supervisor for each lost Worker); returns the messages to publish.
   * On failure the outcomes stay queued.
   */
  async commitOutcomes(
    epoch: number,
    supervisorOf: (trx: Transaction<Database>, actor: string, registry: ReadonlyMap<string, RegistryEntry>) => Promise<string | null>,
  ): Promise<OutboxMessage[]> {
    const { env, partition } = this
    const outcomes = this.outcomes.splice(0, this.outcomes.length)
    const outbox: OutboxMessage[] = []
    try {
      await env.db.transaction().execute(async (trx) => {
        for (const o of outcomes) {
          const job = this.running.get(o.jobId)
          if (!job || !(await finishJob(trx, o.jobId))) continue
          const message = o.ok
            ? JobCompleted({ job_id: o.jobId, kind: o.kind, output: o.output })
            : JobFailed({ job_id: o.jobId, kind: o.kind, reason: o.reason, error: o.error })
          outbox.push(toOutbox(makeEnvelope(job.replyTo, message, { from: job.actor }), env.partitions))
          if (!o.ok && workerLost(o)) {
            const supervisor = await supervisorOf(trx, job.actor, new Map())
            if (supervisor) {
              const reason = o.reason === 'crashed' ? 'worker-crashed' : o.reason === 'hung' ? 'worker-hung' : 'job-lost'
              const failed = ActorFailed({ address: job.actor, reason, detail: o.error, message_id: null, message_type: null, job_id: o.jobId })
              outbox.push(toOutbox(makeEnvelope(supervisor, failed, { from: job.actor }), env.partitions))
            }
          }
        }
        await insertOutbox(trx, outbox)
        if (!(await checkFence(trx, partition, env.nodeId, epoch, env.leaseMs))) throw new FencedError(partition, epoch)
      })
    } catch (error) {
      this.outcomes.unshift(...outcomes)
      throw error
    }
    for (const o of outcomes) this.running.delete(o.jobId)
    return outbox
  }
}

import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { type ActorAskOptions, type ActorContext, type Address, encodeEnvelope, type Envelope, type JobType, type Message, newMessageId, parseAddress, partitionOf, StopActor, type SubmitJobOptions } from '../model/index.ts'
import type { JobRow, NewJob, OutboxMessage, TimerRow } from '../storage/index.ts'

/** A database effect a handler asked for, applied in order right after it returns. */
export type ContextOp =
  | { op: 'timer'; timer: TimerRow }
  | { op: 'cancel-timer'; actor: string; idOrKey: { id: string } | { key: string } }
  | { op: 'spawn'; address: string; partition: number; kind: string; supervisor: string }
  | { op: 'stop-self' }
  | { op: 'job'; job: NewJob }
  | { op: 'cancel-job'; actor: string; jobId: string }

/** What handlers of one commit produced, applied after it commits. */
export interface CommitEffects {
  outbox: OutboxMessage[]
  /** Ephemeral replies to external asks: node id and envelope text. */
  replies: Array<{ nodeId: string; body: string }>
  jobsToRun: JobRow[]
  jobsToAbort: string[]
  /** Earliest timer written (epoch ms). */
  earliestTimer: number | null
  /** Callbacks handlers registered with `ctx.afterCommit`, run once the commit has happened. */
  afterCommit: Array<() => void>
  /** Rows handlers appended with `ctx.append`, by table, written just before the commit. */
  appends: Map<string, Array<Record<string, unknown>>>
  /**
   * Writes no handler reads back, held for the commit's last statement (see finishCommit)
   * instead of a statement each: submitted jobs, spawns, and (optimistically) the job rows
   * whose outcomes this commit handles. `flushDeferred` writes them early when a later op
   * depends on them.
   */
  deferred: DeferredWrites
}

/** What the commit's last statement writes on the handlers' behalf. */
export interface DeferredWrites {
  /** Jobs submitted; only those whose id was not recorded yet (and whose condition holds) are inserted and dispatched. */
  jobs: NewJob[]
  /** Children spawned, with their supervisors. */
  spawns: SpawnEntry[]
  /** Jobs whose outcome this commit handles: all of their rows must still be there to remove. */
  finishedJobs: string[]
}

/** A spawned actor's registry row. */
export interface SpawnEntry {
  address: string
  partition: number
  kind: string
  supervisor: string | null
}

/** A fresh, empty set of effects. */
export function emptyEffects(): CommitEffects {
  return {
    outbox: [],
    replies: [],
    jobsToRun: [],
    jobsToAbort: [],
    earliestTimer: null,
    afterCommit: [],
    appends: new Map(),
    deferred: { jobs: [], spawns: [], finishedJobs: [] },
  }
}

/** Builds an envelope for `message` to `to`. */
export function makeEnvelope(to: Address, message: Message, extra: Partial<Envelope> = {}): Envelope {
  return { v: 1, id: newMessageId(), to, type: message.type, payload: message.payload, sent_at: Date.now(), ...extra }
}

/**
 * Turns an envelope into an outbox message for its target's partition (`from` an actor:
 * its partition is the source). Its text is made on first use: a message handled in its
 * sender's own commit never needs it.
 */
export function toOutbox(envelope: Envelope, partitions: number): OutboxMessage {
  const from = envelope.from && parseAddress(envelope.from) ? partitionOf(envelope.from, partitions) : null
  let text: string | undefined
  return {
    messageId: envelope.id,
    targetPartition: partitionOf(envelope.to, partitions),
    sourcePartition: from,
    get envelope() {
      text ??= encodeEnvelope(envelope)
      return text
    },
    built: envelope,
  }
}

/** Inputs for one handler invocation's context. */
export interface ContextInput<S> {
  self: Address
  trx: Transaction<Database>
  envelope: Envelope
  attempt: number
  state: S
  log: Logger
  partitions: number
  knownKinds: ReadonlySet<string>
  effects: CommitEffects
  ops: ContextOp[]
}

/** The context a handler receives; effects land in `input.effects` and `input.ops`. */
export function createActorContext<S>(input: ContextInput<S>): ActorContext<S> {
  const { self, envelope, partitions, effects, ops } = input
  const tell = (to: Address, message: Message, extra: Partial<Envelope> = {}): string => {
    if (!parseAddress(to)) throw new Error(`Invalid actor address: ${to}`)
    const env = makeEnvelope(to, message, { from: self, ...extra })
    effects.outbox.push(toOutbox(env, partitions))
    return env.id
  }
  const schedule = (delayMs: number, message: Message, options: { key?: string } = {}): string => {
    const env = makeEnvelope(self, message, { from: self })
    const fireAt = Date.now() + Math.max(0, delayMs)
    ops.push({
      op: 'timer',
      timer: { id: env.id, partition: partitionOf(self, partitions), actor: self, key: options.key ?? null, fireAt: new Date(fireAt), envelope: encodeEnvelope(env) },
    })
    effects.earliestTimer = Math.min(effects.earliestTimer ?? fireAt, fireAt)
    return env.id
  }
  return {
    self,
    trx: input.trx,
    messageId: envelope.id,
    sender: envelope.from ?? null,
    correlationId: envelope.correlation_id ?? null,
    attempt: input.attempt,
    log: input.log,
    state: input.state,
    tell(to, message) {
      tell(to, message)
    },
    reply(message) {
      const to = envelope.reply_to
      if (!to) return
      const correlation_id = envelope.correlation_id ?? envelope.id
      if (to.startsWith('node:')) {
        const env = makeEnvelope(self, message, { from: self, correlation_id })
        effects.replies.push({ nodeId: to.slice(5), body: encodeEnvelope(env) })
        return
      }
      tell(to, message, { correlation_id })
    },
    ask(to, message, options: ActorAskOptions) {
      const correlation = newMessageId()
      tell(to, message, { reply_to: self, correlation_id: correlation })
      schedule(options.timeoutMs, options.onTimeout, { key: `ask:${correlation}` })
      return correlation
    },
    schedule,
    cancelTimer(idOrKey) {
      ops.push({ op: 'cancel-timer', actor: self, idOrKey })
    },
    spawn(child, options = {}) {
      const parsed = parseAddress(child)
      if (!parsed) throw new Error(`Invalid actor address: ${child}`)
      if (!input.knownKinds.has(parsed.kind)) throw new Error(`No behaviour is registered for kind "${parsed.kind}"`)
      ops.push({ op: 'spawn', address: child, partition: partitionOf(child, partitions), kind: parsed.kind, supervisor: self })
      if (options.init) tell(child, options.init)
    },
    stop(target) {
      if (target === undefined || target === self) ops.push({ op: 'stop-self' })
      else tell(target, StopActor({ reason: `stopped by ${self}` }))
    },
    submitJob<I>(job: JobType<string, I, unknown>, jobInput: I, options: SubmitJobOptions) {
      const id = options.id ?? newMessageId()
      // A recorded id is not inserted again (see jobInsert), so a repeat submission runs nothing.
      if (id.length === 0 || id.length > 200) throw new Error('A job id is 1 to 200 characters')
      const parsedInput = job.input.parse(jobInput)
      ops.push({
        op: 'job',
        job: {
          id,
          partition: partitionOf(self, partitions),
          actor: self,
          replyTo: options.replyTo ?? self,
          kind: job.kind,
          input: JSON.stringify(parsedInput),
          deadlineMs: Math.max(1, Math.floor(options.deadlineMs)),
          ...(options.onlyIf ? { onlyIf: options.onlyIf } : {}),
        },
      })
      return id
    },
    cancelJob(jobId) {
      ops.push({ op: 'cancel-job', actor: self, jobId })
    },
    append(table, row) {
      const rows = effects.appends.get(table)
      if (rows) rows.push(row as Record<string, unknown>)
      else effects.appends.set(table, [row as Record<string, unknown>])
    },
    afterCommit(callback) {
      effects.afterCommit.push(callback)
    },
  }
}

import type { Insertable, RawBuilder, Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import type { Address } from './address.ts'
import type { JobType } from './job.ts'
import type { Message, MessageType } from './message.ts'

/** What `activate` gets: where to load the actor's state from. */
export interface ActivationContext {
  readonly self: Address
  /** The commit transaction of the message that activated the actor. */
  readonly trx: Transaction<Database>
  readonly log: Logger
}

/** Options of `ctx.ask` inside a handler: the reply comes back later as a message. */
export interface ActorAskOptions {
  timeoutMs: number
  /** Delivered to this actor (durably) when no reply came in time. */
  onTimeout: Message
}

/** Options of `ctx.submitJob`. */
export interface SubmitJobOptions {
  /** The job is aborted and reported `timeout` after this long. */
  deadlineMs: number
  /** Who gets `JobCompleted`/`JobFailed`; defaults to this actor. */
  replyTo?: Address
  /**
   * The job's id, when the caller derives one from what the job is for (for example a task
   * and its attempt): submitting an id that is already recorded, in this commit or an
   * earlier one, does nothing, so a handler that runs twice starts the job once. Ids of
   * finished jobs may come back: the caller checks, from its own records, that the work is
   * not done yet. Default: a new unique id.
   */
  id?: string
  /**
   * A condition on the database, checked when the commit writes the job (its last
   * statement, which sees everything the commit wrote): false, and the job is neither
   * recorded nor run. For work that is only worth starting while the caller's records
   * still ask for it, without a read of its own before submitting.
   */
  onlyIf?: RawBuilder<boolean>
}

/**
 * What a handler gets with each message. Every effect is written in `trx`, the one
 * transaction that also records the message as handled; messages told, timers,
 * spawns and jobs take effect only when it commits.
 */
export interface ActorContext<S = unknown> {
  readonly self: Address
  /** The commit transaction: write effects with it (never with the node's `db`). */
  readonly trx: Transaction<Database>
  readonly messageId: string
  /** The sender's address, or `node:<id>` for a message from outside the actors. */
  readonly sender: string | null
  /** Set on a reply to an `ask`: the asking message's correlation id. */
  readonly correlationId: string | null
  /** 1 on the first delivery, more after the handler threw. */
  readonly attempt: number
  readonly log: Logger
  /** In-memory state from `activate`; kept while the actor is active and dropped when a commit fails. */
  state: S
  /** Sends a message after commit; per sender, messages arrive in the order sent. */
  tell(to: Address, message: Message): void
  /** Answers the current message's asker (an actor or an external `ask`); a no-op when nobody asked. */
  reply(message: Message): void
  /** Tells `to` with a reply address; the reply arrives as a message, or `onTimeout` does. Returns the correlation id. */
  ask(to: Address, message: Message, options: ActorAskOptions): string
  /** Delivers `message` to this actor after `delayMs`, durably. A `key` replaces the actor's timer with the same key. Returns the timer id. */
  schedule(delayMs: number, message: Message, options?: { key?: string }): string
  /** Cancels one of this actor's timers, by id or key. */
  cancelTimer(idOrKey: { id: string } | { key: string }): void
  /** Spawns a child: records this actor as its supervisor and optionally tells it `init`. */
  spawn(child: Address, options?: { init?: Message }): void
  /** Stops this actor (no address) or another one; its timers and jobs are cancelled. */
  stop(target?: Address): void
  /** Runs a job on the Worker pool without blocking the mailbox; its outcome arrives as `JobCompleted`/`JobFailed`. Returns the job id. */
  submitJob<I>(job: JobType<string, I, unknown>, input: I, options: SubmitJobOptions): string
  /** Cancels a job this actor submitted; no outcome message follows. */
  cancelJob(jobId: string): void
  /** Runs `callback` once this message's commit has happened (never if it rolls back); e.g. to announce events live. */
  afterCommit(callback: () => void): void
  /**
   * Inserts `row` into `table` at the end of this commit: one multi-row INSERT per table
   * for the whole batch, in the order appended, instead of a round trip per message.
   * For write-only effects (event logs, records); later handlers in the same commit do
   * not see the row.
   * @example ctx.append('session_events', { session_id: 42, kind: 'task_started', data: JSON.stringify(data) })
   */
  append<T extends keyof Database & string>(table: T, row: Insertable<Database[T]>): void
}

/** One message type's handler in a behaviour's map: the type (for its schema) and the function. */
export interface Handler<S, T extends string = string> {
  readonly message: MessageType<T, any>
  /** Declared as a method so a map of handlers of different types fits one record type. */
  handle(ctx: ActorContext<S>, message: Message<T, any>): Promise<void> | void
}

/**
 * A typed handler for one message type, for a behaviour's `handlers` map.
 * @example
 * handlers: { [Increment.type]: on(Increment, (ctx, message) => { ctx.state += message.payload.by }) }
 */
export function on<S, T extends string, P>(message: MessageType<T, P>, handle: (ctx: ActorContext<S>, message: Message<T, P>) => Promise<void> | void): Handler<S, T> {
  return { message, handle: handle as Handler<S, T>['handle'] }
}

/** A behaviour's handlers, keyed by message type tag; a key that is not its handler's type does not compile. */
export type Handlers<S, H> = { [K in keyof H]: Handler<S, K & string> }

/** What `defineBehaviour` takes. */
export interface BehaviourSpec<S, H extends Handlers<S, H>> {
  /** The address kind this behaviour serves (`session` for `session/42`). */
  kind: string
  /** Loads the actor's state from PostgreSQL when it is activated (first message, or after a failed commit). */
  activate?(ctx: ActivationContext): Promise<S> | S
  /**
   * One handler per message type it accepts, by type tag; anything else is dead-lettered.
   * A handler is never called concurrently for the same actor; throwing rolls back and redelivers.
   */
  handlers: H
}

/** A registered behaviour, with its message types by tag. */
export interface Behaviour<S = any> {
  readonly kind: string
  readonly accepts: ReadonlyMap<string, MessageType<string, unknown>>
  activate(ctx: ActivationContext): Promise<S> | S
  /** Runs the handler of `message.type` (validated against `accepts` by the runtime before). */
  receive(message: Message, ctx: ActorContext<S>): Promise<void> | void
}

/**
 * Defines how actors of one kind behave: a handler per message type, `accepts` derived from them.
 * @example
 * const Increment = defineMessage('counter.increment', z.object({ by: z.number() }))
 * const Counter = defineBehaviour({
 *   kind: 'counter',
 *   handlers: {
 *     [Increment.type]: on(Increment, async (ctx, message) => {
 *       await ctx.trx.updateTable('counters').set((eb) => ({ n: eb('n', '+', message.payload.by) }))
 *         .where('id', '=', ctx.self).execute()
 *     }),
 *   },
 * })
 */
export function defineBehaviour<S = undefined, H extends Handlers<S, H> = Handlers<S, Record<string, Handler<S>>>>(spec: BehaviourSpec<S, H>): Behaviour<S> {
  if (!/^[A-Za-z0-9_.:-]{1,200}$/.test(spec.kind)) throw new Error(`Invalid behaviour kind: ${spec.kind}`)
  const accepts = new Map<string, MessageType<string, unknown>>()
  const handlers = new Map<string, Handler<S>>()
  for (const [type, handler] of Object.entries(spec.handlers) as Array<[string, Handler<S>]>) {
    if (handler.message.type !== type) throw new Error(`Behaviour "${spec.kind}": the handler under "${type}" is for "${handler.message.type}"`)
    accepts.set(type, handler.message as MessageType<string, unknown>)
    handlers.set(type, handler)
  }
  return {
    kind: spec.kind,
    accepts,
    activate: spec.activate ? (ctx) => (spec.activate as (c: ActivationContext) => Promise<S> | S)(ctx) : () => undefined as S,
    receive: (message, ctx) => {
      const handler = handlers.get(message.type)
      if (!handler) throw new Error(`Behaviour "${spec.kind}" has no handler for "${message.type}"`)
      return handler.handle(ctx, message)
    },
  }
}

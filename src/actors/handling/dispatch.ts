import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { type Behaviour, type Envelope, HandlerFailure, parseAddress, StopActor } from '../model/index.ts'
import { deleteTimer, type RegistryEntry } from '../storage/index.ts'
import { type CommitEffects, type ContextOp, createActorContext } from './actor-context.ts'
import { applyContextOps, stopActorIn } from './context-ops.ts'

/** An actor in memory: its behaviour, its state, and its supervisor once known. */
export interface ActiveActor {
  behaviour: Behaviour
  state: unknown
  /** Undefined until known: actors activated optimistically have not read their registry entry. */
  supervisor: string | null | undefined
}

/** Where `dispatch` finds and keeps active actors (the partition's actor cache). */
export interface ActiveActors {
  /** The active actor at `self`, now the most recently used; undefined when not in memory. */
  use(self: string): ActiveActor | undefined
  add(self: string, actor: ActiveActor): void
  remove(self: string): void
}

/** What one message's handling may read and write: shared by every message of a commit. */
export interface DispatchScope {
  trx: Transaction<Database>
  partition: number
  partitions: number
  log: Logger
  behaviours: ReadonlyMap<string, Behaviour>
  knownKinds: ReadonlySet<string>
  actors: ActiveActors
  /** Registry rows read for this commit (empty when not read: actors activated optimistically). */
  registry: ReadonlyMap<string, RegistryEntry>
  /** Whether `registry` was read, so an activated actor's supervisor is known. */
  supervisorsKnown: boolean
  effects: CommitEffects
  /** Actors stopped in this commit. */
  stopped: Set<string>
  /** Children spawned in this commit, with their supervisor. */
  spawned: Map<string, string>
  /** Actors whose in-memory state this commit changed (dropped if it rolls back). */
  touched: Set<string>
  /** Actors activated by this commit (their registry status is checked by its last statement). */
  activated: string[]
}

/** One message to dispatch. */
export interface DispatchMessage {
  /** Position in the batch (reported by a HandlerFailure). */
  index: number
  /** Null when the entry could not be decoded; `invalid` says why. */
  envelope: Envelope | null
  invalid: string | null
  /** 1 on the first delivery, more after a handler threw on it. */
  attempt: number
  /** Records the message as handled once; false when it was handled before (a redelivery). */
  firstTime(): Promise<boolean> | boolean
}

/** What became of one message. */
export type DispatchOutcome =
  | { kind: 'handled' }
  | { kind: 'duplicate' }
  /** `notify`: the target's supervisor should hear of it (an ActorFailed). */
  | { kind: 'dead-letter'; reason: string; notify: boolean }
  | { kind: 'stopped' }

const deadLetter = (reason: string, notify: boolean): DispatchOutcome => ({ kind: 'dead-letter', reason, notify })

/**
 * Takes one message to its outcome inside the commit's transaction: skips a duplicate,
 * dead-letters what cannot be handled (undecodable, no behaviour, stopped actor, type not
 * accepted, invalid payload), activates the actor, then runs its handler and applies the
 * effects it asked for. Throws HandlerFailure when `activate` or the handler throws (the
 * commit rolls back).
 */
export async function dispatch(scope: DispatchScope, message: DispatchMessage): Promise<DispatchOutcome> {
  if (!(await message.firstTime())) return { kind: 'duplicate' }
  const { envelope } = message
  if (!envelope) return deadLetter(message.invalid ?? 'invalid envelope', true)
  const { trx, partition, effects, stopped, spawned } = scope
  const self = envelope.to
  const kind = (parseAddress(self) as { kind: string }).kind
  const behaviour = scope.behaviours.get(kind)
  if (!behaviour) return deadLetter(`no behaviour registered for kind "${kind}"`, false)
  let actor = scope.actors.use(self)
  if (!actor) {
    const entry = scope.registry.get(self)
    if (entry?.status === 'stopped' || stopped.has(self)) return deadLetter('actor stopped', false)
    scope.touched.add(self)
    scope.activated.push(self)
    let state: unknown
    try {
      state = await behaviour.activate({ self, trx, log: scope.log })
    } catch (error) {
      throw new HandlerFailure(message.index, error)
    }
    actor = { behaviour, state, supervisor: scope.supervisorsKnown ? (entry?.supervisor ?? null) : undefined }
    scope.actors.add(self, actor)
  }
  if (envelope.type === StopActor.type) {
    await stopActorIn(trx, { partition, self, kind, effects })
    stopped.add(self)
    scope.actors.remove(self)
    return { kind: 'stopped' }
  }
  const type = behaviour.accepts.get(envelope.type)
  if (!type) return deadLetter(`message type "${envelope.type}" is not accepted by "${kind}"`, true)
  const payload = type.schema.safeParse(envelope.payload)
  if (!payload.success) {
    const why = payload.error.issues.map((x) => `${x.path.join('.') || 'payload'} ${x.message}`).join('; ')
    return deadLetter(`invalid payload for "${envelope.type}": ${why}`, true)
  }
  scope.touched.add(self)
  const ops: ContextOp[] = []
  const ctx = createActorContext({
    self,
    trx,
    envelope,
    attempt: message.attempt,
    state: actor.state,
    log: scope.log,
    partitions: scope.partitions,
    knownKinds: scope.knownKinds,
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
    throw new HandlerFailure(message.index, error)
  }
  if (stopped.has(self)) scope.actors.remove(self)
  return { kind: 'handled' }
}

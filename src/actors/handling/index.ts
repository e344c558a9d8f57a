/**
 * What happens to one message: the actor context a handler sees, the effects it collects, the context operations applied at commit, and `dispatch`, which takes one message to a typed outcome.
 * @module
 */
export { createActorContext, emptyEffects, makeEnvelope, toOutbox } from './actor-context.ts'
export type { CommitEffects, ContextInput, ContextOp, DeferredWrites, SpawnEntry } from './actor-context.ts'
export { applyContextOps, flushDeferred, stopActorIn } from './context-ops.ts'
export type { OpTarget } from './context-ops.ts'
export { dispatch } from './dispatch.ts'
export type { ActiveActor, ActiveActors, DispatchMessage, DispatchOutcome, DispatchScope } from './dispatch.ts'

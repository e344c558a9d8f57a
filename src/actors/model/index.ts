/**
 * The actor model's vocabulary: addresses, envelopes, typed messages and the runtime's system messages, behaviours (handler maps), job types and the runtime's errors. Pure definitions: no I/O.
 * @module
 */
export { address, isAddress, parseAddress, partitionOf, stableHash } from './address.ts'
export type { Address, ParsedAddress } from './address.ts'
export { defineBehaviour, on } from './behaviour.ts'
export type { ActivationContext, ActorAskOptions, ActorContext, Behaviour, BehaviourSpec, Handler, Handlers, SubmitJobOptions } from './behaviour.ts'
export { decodeEnvelope, encodeEnvelope, EnvelopeSchema, newMessageId } from './envelope.ts'
export type { DecodeResult, Envelope } from './envelope.ts'
export { AskTimeoutError, DuplicateDelivery, FencedError, HandlerFailure } from './errors.ts'
export { defineJob, handleJob } from './job.ts'
export type { JobHandler, JobRunContext, JobType } from './job.ts'
export { defineMessage } from './message.ts'
export type { Message, MessageOf, MessageType } from './message.ts'
export { ActorFailed, FAILURE_REASONS, isSystemMessageType, JOB_FAILURES, JobCompleted, JobFailed, JobProgressed, StopActor } from './system-messages.ts'

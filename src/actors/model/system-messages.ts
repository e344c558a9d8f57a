import { z } from 'zod'
import { defineMessage } from './message.ts'

/** Why the runtime reports an actor as failed to its supervisor. */
export const FAILURE_REASONS = ['dead-lettered', 'worker-crashed', 'worker-hung', 'job-lost'] as const

/**
 * Told to an actor's supervisor when the runtime gives up on one of its messages
 * (5 failed deliveries or an invalid message), or when the Worker hosting its job
 * crashed or hung. Accept it in the supervisor's behaviour to react (restart, fail…).
 */
export const ActorFailed = defineMessage(
  'sage.actor-failed',
  z.object({
    address: z.string(),
    reason: z.enum(FAILURE_REASONS),
    detail: z.string(),
    message_id: z.string().nullable(),
    message_type: z.string().nullable(),
    job_id: z.string().nullable(),
  }),
)

/** A Worker-pool job finished; `output` is what the job returned (JSON). */
export const JobCompleted = defineMessage(
  'sage.job-completed',
  z.object({ job_id: z.string(), kind: z.string(), output: z.unknown() }),
)

/**
 * A running job's progress (what its Worker reported through `ctx.progress`), handed to
 * the actor that will receive its outcome when that actor's behaviour accepts it.
 * Ephemeral: never recorded in a mailbox, dropped once the job has finished.
 */
export const JobProgressed = defineMessage('sage.job-progress', z.object({ job_id: z.string(), kind: z.string(), data: z.unknown() }))

/** How a job can fail. */
export const JOB_FAILURES = ['error', 'timeout', 'crashed', 'hung', 'lost', 'unknown-kind'] as const

/** A Worker-pool job failed: it threw, passed its deadline, or its Worker crashed or hung. */
export const JobFailed = defineMessage(
  'sage.job-failed',
  z.object({ job_id: z.string(), kind: z.string(), reason: z.enum(JOB_FAILURES), error: z.string() }),
)

/** Runtime-internal: stops the receiving actor (cancels its timers and jobs). */
export const StopActor = defineMessage('sage.stop', z.object({ reason: z.string().optional() }))

/** Message types the runtime sends (`sage.`); see partition/dead-letter.ts for which of them notify a supervisor when dead-lettered. */
export function isSystemMessageType(type: string): boolean {
  return type.startsWith('sage.')
}

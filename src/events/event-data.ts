import { z } from 'zod'

/**
 * The `data` of every session event type, one zod schema per type: the ONE definition the
 * writers and every reader share. Adding an event type is one entry here; the readers that
 * must handle every type (the live renderer, the replay fold, the description) are keyed by
 * `EventType` and stop compiling until they handle it.
 *
 * Fields a later version adds must be `.optional()`: stored events are read with these
 * schemas too, and an older event lacking a newer field must still parse.
 */

const id = z.number().int().positive()
const attempt = z.number().int().min(1)
const role = z.string().min(1)

/** A task named in an event: its id and its agent's role. */
export const TaskRef = z.object({ task_id: id, agent_role: role })

/**
 * Tasks that ended in the same supervision step without an event of their own (`skipped`
 * because a dependency failed, `cancelled` because the session ended early): their lists
 * ride on the event written beside them.
 */
const endedTasks = {
  skipped_tasks: z.array(TaskRef).optional(),
  cancelled_tasks: z.array(TaskRef).optional(),
}

/** A session's end: its status, duration (filled in by the statement that ends it) and every task's last status. */
function sessionEnded<S extends 'completed' | 'failed' | 'cancelled'>(status: S) {
  return z.object({
    status: z.literal(status),
    duration_seconds: z.number().int().min(0).nullable(),
    tasks: z.array(TaskRef.extend({ status: z.string() })),
    ...endedTasks,
  })
}

export const EVENT_DATA = {
  /** The session and its pending tasks were created; the supervisor starts next. */
  session_started: z.object({
    feature_name: z.string(),
    plan: z.enum(['dag', 'parallel', 'sequential']),
    tasks: z.array(TaskRef),
  }),
  /** An attempt of a task started (`attempt` counts from 1). */
  task_started: z.object({ task_id: id, agent_role: role, attempt, ...endedTasks }),
  /** The running attempt's analysis so far (the whole of it, up to 4000 characters) and its length. */
  task_progress: z.object({
    task_id: id,
    agent_role: role,
    attempt,
    analysis: z.string(),
    chars: z.number().int().min(0),
    /** Output tokens so far, estimated from the streamed characters (about 4 a token); absent in older events. */
    output_tokens: z.number().int().min(0).optional(),
    /** Those tokens at the model's output price; null when the price is unknown; absent in older events. */
    cost_usd: z.number().min(0).nullable().optional(),
  }),
  /** The attempt succeeded; its output, decisions and snapshot are in the task's rows. */
  task_completed: z.object({ task_id: id, agent_role: role, attempt }),
  /** The task failed for good (after its retries, or a failure that is not retried). */
  task_failed: z.object({ task_id: id, agent_role: role, attempt, error: z.string(), ...endedTasks }),
  /** The attempt failed and the task runs again at `retry_at`. */
  task_retrying: z.object({
    task_id: id,
    agent_role: role,
    failed_attempt: attempt,
    next_attempt: attempt,
    retry_at: z.string(),
    error: z.string(),
    ...endedTasks,
  }),
  /** The attempt finished and waits for a human's verdict before its dependants start. */
  task_review_requested: z.object({
    task_id: id,
    agent_role: role,
    attempt,
    /** Why: the session reviews this role, or the output's confidence is below the team's threshold. */
    reason: z.enum(['role', 'confidence']),
    confidence: z.number().min(0).max(1).nullable(),
  }),
  /** A human's verdict on a task under review. */
  task_reviewed: z.object({
    task_id: id,
    agent_role: role,
    attempt,
    review_id: id,
    verdict: z.enum(['approve', 'changes', 'reject']),
    comment: z.string().nullable(),
    reviewer: z.string(),
  }),
  /** A decision entered the session's journal. */
  decision_added: z.object({
    decision_id: id,
    decision_text: z.string(),
    category: z.string().nullable(),
    confidence: z.string().nullable(),
    source: z.enum(['user', 'agent', 'review']),
  }),
  /** A task did not start: with its estimate it would pass the session's or the team's monthly budget. */
  budget_exceeded: z.object({
    task_id: id,
    agent_role: role,
    scope: z.enum(['session', 'team_month']),
    budget_usd: z.number().min(0),
    spent_usd: z.number().min(0),
    estimate_usd: z.number().min(0),
  }),
  /** The cross-role consistency rules ran over the finished outputs. */
  consistency_checked: z.object({
    score: z.number().min(0).max(100),
    errors: z.number().int().min(0),
    warnings: z.number().int().min(0),
  }),
  /** A failed or cancelled session went back to `active`; these tasks run again. */
  session_resumed: z.object({ tasks: z.array(TaskRef) }),
  session_completed: sessionEnded('completed'),
  session_failed: sessionEnded('failed'),
  session_cancelled: sessionEnded('cancelled'),
} satisfies Record<string, z.ZodObject>

/** Every event type, as API.md lists them. */
export type EventType = keyof typeof EVENT_DATA

/** The `data` of one event type. */
export type EventData<T extends EventType> = z.infer<(typeof EVENT_DATA)[T]>

/** The event types, in the order API.md lists them. */
export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[]

/** The event types that end a session (their `duration_seconds` is filled in by the statement that ends it). */
export const SESSION_END_TYPES = ['session_completed', 'session_failed', 'session_cancelled'] as const satisfies readonly EventType[]

/** True for an event type that ends a session: nothing happens to its agents after it. */
export function isSessionEnd(type: EventType): type is (typeof SESSION_END_TYPES)[number] {
  return (SESSION_END_TYPES as readonly EventType[]).includes(type)
}

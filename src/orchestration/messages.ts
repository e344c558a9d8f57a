import { z } from 'zod'
import { defineMessage } from '../actors/index.ts'
import { AGENT_ROLES } from '../agents/index.ts'
import { RunAgentJob } from './run-agent.job.ts'

const role = z.enum(AGENT_ROLES)
const attempt = z.number().int().min(1)

/** To `session/<id>`: the session's rows are committed; start its first stage. */
export const StartSession = defineMessage('session.start', z.object({}))

/** To `session/<id>`, asked by the API: end the session early. Replied with `SessionEndReply`. */
export const EndSession = defineMessage('session.end', z.object({ mode: z.enum(['complete', 'cancel']) }))

/** The supervisor's answer to `EndSession`. */
export const SessionEndReply = defineMessage(
  'session.end-reply',
  z.object({ outcome: z.enum(['ended', 'already_ended', 'not_found']) }),
)

/** To `session/<id>`: its budget or its team's was raised; tasks waiting for a budget try again. */
export const BudgetRaised = defineMessage('session.budget-raised', z.object({}))

/** To `session/<id>` from its own timer: a failed attempt's backoff is over. */
export const RetryDue = defineMessage('session.retry-due', z.object({ role, attempt }))

/** To `session/<id>` from an agent: its attempt produced a valid, recorded output (`review`: recorded as awaiting review). */
export const TaskSucceeded = defineMessage('session.task-succeeded', z.object({ role, attempt, review: z.boolean().optional() }))

/** To `session/<id>` from an agent: its attempt failed. */
export const TaskFailed = defineMessage(
  'session.task-failed',
  z.object({ role, attempt, error: z.string().max(4000), retryable: z.boolean() }),
)

/** To `session/<id>` from an agent: its attempt passed `TASK_TIMEOUT_MS` and was aborted. */
export const TaskTimedOut = defineMessage('session.task-timed-out', z.object({ role, attempt }))

/** To `agent/<session>/<role>`: run this attempt of the task. */
export const RunTask = defineMessage(
  'agent.run',
  z.object({
    task_id: z.number().int().positive(),
    attempt,
    /** The roles whose outputs this one builds on (the plan's edges into it); absent: read every finished role's. */
    upstream: z.array(z.string().max(64)).max(32).optional(),
    /**
     * The attempt's input (feature, journal, upstream outputs), read by the supervisor in the
     * commit that starts it; absent: the agent reads it. Either way the job is started only
     * while the attempt is the task's current one.
     */
    input: RunAgentJob.input.optional(),
  }),
)

/** To `agent/<session>/<role>`: abort this attempt (cancel, complete, timeout). */
export const AbortTask = defineMessage('agent.abort', z.object({ attempt }))

/** To `session/<id>`, asked by the API: a reviewer's verdict on a task's attempt awaiting review. Replied with `ReviewReply`. */
export const ReviewTask = defineMessage(
  'session.review',
  z.object({
    task_id: z.number().int().positive(),
    attempt,
    verdict: z.enum(['approve', 'changes', 'reject']),
    comment: z.string().max(10_000).nullable(),
    reviewer_id: z.number().int().positive(),
    reviewer: z.string().max(50),
  }),
)

/** The supervisor's answer to `ReviewTask`: `conflict` when the attempt is not awaiting review (or already reviewed). */
export const ReviewReply = defineMessage('session.review-reply', z.object({ outcome: z.enum(['reviewed', 'conflict', 'not_found']) }))

/** To `session/<id>`, asked by the API: resume a failed or cancelled session. Replied with `ResumeReply`. */
export const ResumeSession = defineMessage('session.resume', z.object({}))

/** The supervisor's answer to `ResumeSession`: `not_ended` unless the session was failed or cancelled. */
export const ResumeReply = defineMessage('session.resume-reply', z.object({ outcome: z.enum(['resumed', 'not_ended', 'not_found']) }))

import { sql, type Transaction } from 'kysely'
import { z } from 'zod'
import { type ActorContext, type Behaviour, defineBehaviour, JobCompleted, JobFailed, JobProgressed, on, parseAddress } from '../actors/index.ts'
import { type AgentRole, getRole, isAgentRole } from '../agents/index.ts'
import type { Database } from '../db/index.ts'
import { appendEvents, type SessionEvent } from '../events/index.ts'
import { AbortTask, RunTask, TaskFailed, TaskSucceeded, TaskTimedOut } from './messages.ts'
import { buildInput, ROLE_DECISIONS_JSON, type RunTaskView, USER_DECISIONS_JSON } from './run-task-input.ts'
import { RunAgentJob } from './run-agent.job.ts'
import { outputConfidence, reviewReason } from './review-gate.ts'
import { loadReviewGate } from './review-records.ts'
import { recordTaskFailure, recordTaskResult } from './task-records.ts'

type Trx = Transaction<Database>

/** What a `run-agent` job reports while its model streams (see agent-job.ts). */
const AgentProgressData = z.object({ task_id: z.number().int(), attempt: z.number().int(), analysis: z.string(), chars: z.number().int() })

/** How much of the streamed analysis one progress event carries. */
const MAX_ANALYSIS = 4000

export interface AgentBehaviourDeps {
  /** A task attempt running longer is aborted and reported as timed out. */
  taskTimeoutMs: number
  nodeId: string
  /** Announces committed events (after the commit). */
  announce: (ctx: ActorContext, events: SessionEvent[]) => void
  /** Prices the streamed tokens of progress events (budget-progress.ts); absent: progress carries no usage. */
  streamedUsage?: (role: AgentRole, chars: number) => { output_tokens: number; cost_usd: number | null }
  /** Told the model of each recorded output that has no price (to log it once). */
  unpricedModel?: (model: string) => void
}

/** An agent's session and role. */
export interface AgentAddressParts {
  sessionId: number
  role: AgentRole
}

/** `agent/<session>/<role>` → its session id and role; null for anything else. */
export function agentAddressParts(address: string): AgentAddressParts | null {
  const parsed = parseAddress(address)
  const role = address.split('/')[2]
  if (!parsed || parsed.kind !== 'agent' || !role || !isAgentRole(role) || !/^\d+$/.test(parsed.key)) return null
  return { sessionId: Number(parsed.key), role }
}

/**
 * The job an attempt runs as: derived from the task and the attempt, so a handler that
 * runs twice submits it once. The seed's `celery_task_id` column holds the id of the job
 * whose outcome was recorded: a second delivery of that outcome then records nothing.
 */
function attemptJobId(taskId: number, attempt: number): string {
  return `run-agent:${taskId}:${attempt}`
}

/** The task and attempt a `run-agent` job id stands for; null for any other id. */
function parseAttemptJobId(jobId: string): { taskId: number; attempt: number } | null {
  const match = /^run-agent:(\d+):(\d+)$/.exec(jobId)
  return match ? { taskId: Number(match[1]), attempt: Number(match[2]) } : null
}

/** Marks the attempt's outcome as recorded, so a redelivered outcome for it is ignored. */
async function markReported(trx: Trx, taskId: number, jobId: string): Promise<void> {
  await trx.updateTable('agent_tasks').set({ celery_task_id: jobId }).where('id', '=', taskId).execute()
}

async function loadTask(trx: Trx, sessionId: number, role: AgentRole) {
  return trx
    .selectFrom('agent_tasks')
    .select(['id', 'status', 'retry_count', 'retry_at', 'celery_task_id'])
    .where('session_id', '=', sessionId)
    .where('agent_role', '=', role)
    .executeTakeFirst()
}

/** In SQL: the task is running exactly this attempt (not waiting for a retry), and no outcome of its job is recorded. */
function attemptIsCurrent(parts: AgentAddressParts, taskId: number, attempt: number, jobId: string) {
  return sql<boolean>`exists (select 1 from agent_tasks where id = ${taskId} and session_id = ${parts.sessionId}
    and agent_role = ${parts.role} and status = 'running' and retry_count = ${attempt - 1} and retry_at is null
    and celery_task_id is distinct from ${jobId})`
}

/** The task is on exactly this attempt and running it (not waiting for a retry). */
function isCurrent(task: { status: string; retry_count: number; retry_at: unknown }, attempt: number): boolean {
  return task.status === 'running' && task.retry_count === attempt - 1 && task.retry_at === null
}

/**
 * The session, its tasks (with the outputs of the `upstream` roles, or of every completed
 * one) and its journal in one statement.
 */
async function readRunTaskView(trx: Trx, sessionId: number, upstream: readonly string[] | undefined): Promise<RunTaskView | undefined> {
  const { rows } = await sql<RunTaskView>`
    select s.feature_name, s.description, s.plan,
      coalesce((select json_agg(json_build_object(
          'id', t.id, 'agent_role', t.agent_role, 'status', t.status, 'retry_count', t.retry_count,
          'retry_at', t.retry_at, 'celery_task_id', t.celery_task_id, 'feedback', t.feedback,
          'output_data', case when t.status = 'completed' and (${upstream === undefined}::boolean or t.agent_role = any(${upstream ?? []}::text[]))
            then t.output_data end) order by t.id)
        from agent_tasks t where t.session_id = s.id), '[]') as tasks,
      ${USER_DECISIONS_JSON} as user_decisions, ${ROLE_DECISIONS_JSON} as role_decisions
    from execution_sessions s where s.id = ${sessionId}`.execute(trx)
  return rows[0]
}

/**
 * The agent actor: one role of one session. It runs each attempt its supervisor asks
 * for as a `run-agent` job on the Worker pool (so its mailbox never waits on a model),
 * records the outcome, and reports it to the supervisor. Every handler checks that
 * the attempt is still the task's current one, so a redelivered or late message
 * changes nothing.
 */
export function createAgentBehaviour(deps: AgentBehaviourDeps): Behaviour {
  const supervisorOf = (sessionId: number): string => `session/${sessionId}`

  /** The task and attempt job `jobId` ran, while that attempt is current and its outcome not yet recorded. */
  const unreportedAttempt = async (ctx: ActorContext, parts: AgentAddressParts, jobId: string) => {
    const ran = parseAttemptJobId(jobId)
    if (!ran) return null
    const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
    if (!task || task.id !== ran.taskId || task.celery_task_id === jobId || !isCurrent(task, ran.attempt)) return null
    return { task, attempt: ran.attempt }
  }

  const onJobFailure = async (
    ctx: ActorContext,
    parts: AgentAddressParts,
    jobId: string,
    reason: string,
    error: string,
  ): Promise<void> => {
    const found = await unreportedAttempt(ctx, parts, jobId)
    if (!found) return
    const { task, attempt } = found
    await markReported(ctx.trx, task.id, jobId)
    await recordTaskFailure(ctx.trx, {
      taskId: task.id,
      role: parts.role,
      attempt,
      error,
      kind: reason,
      context: {},
      capabilities: getRole(parts.role).capabilities,
      nodeId: deps.nodeId,
    })
    if (reason === 'timeout') ctx.tell(supervisorOf(parts.sessionId), TaskTimedOut({ role: parts.role, attempt }))
    else {
      const message = reason === 'crashed' || reason === 'hung' ? `The Worker running this agent ${reason}: ${error}` : error
      ctx.tell(supervisorOf(parts.sessionId), TaskFailed({ role: parts.role, attempt, error: message.slice(0, 4000), retryable: reason !== 'unknown-kind' }))
    }
  }

  /** The agent's session and role, from its address. */
  const partsOf = (ctx: ActorContext): AgentAddressParts => {
    const parts = agentAddressParts(ctx.self)
    if (!parts) throw new Error(`Not an agent address: ${ctx.self}`)
    return parts
  }

  return defineBehaviour({
    kind: 'agent',
    handlers: {
      [RunTask.type]: on(RunTask, async (ctx, message) => {
        const parts = partsOf(ctx)
        const { attempt, task_id, input } = message.payload
        if (input) {
          // The supervisor sent the input: no read here. The job is recorded (and runs) only if, at
          // commit, this attempt is still the task's current one and has not reported its outcome.
          if (input.task_id !== task_id || input.attempt !== attempt || input.role !== parts.role || input.session_id !== parts.sessionId) return
          const jobId = attemptJobId(task_id, attempt)
          ctx.submitJob(RunAgentJob, input, { deadlineMs: deps.taskTimeoutMs, id: jobId, onlyIf: attemptIsCurrent(parts, task_id, attempt, jobId) })
          return
        }
        const view = await readRunTaskView(ctx.trx, parts.sessionId, message.payload.upstream)
        const task = view?.tasks.find((t) => t.agent_role === parts.role)
        if (!view || !task || task.id !== task_id || !isCurrent(task, attempt)) return
        const jobId = attemptJobId(task.id, attempt)
        if (task.celery_task_id === jobId) return // this attempt already reported its outcome
        // Submitted once per attempt, however often this message arrives.
        ctx.submitJob(RunAgentJob, buildInput(view, parts.sessionId, parts.role, task.id, attempt), { deadlineMs: deps.taskTimeoutMs, id: jobId })
      }),
      [JobProgressed.type]: on(JobProgressed, async (ctx, message) => {
        const parts = partsOf(ctx)
        // The Worker throttles these (one per interval while a model streams). Written only while
        // the attempt is the task's running one; this actor records its outcome too, one message at
        // a time, so a progress event can never follow the attempt's end in the log.
        const progress = AgentProgressData.safeParse(message.payload.data)
        if (!progress.success) return
        const { task_id, attempt, analysis, chars } = progress.data
        const found = await unreportedAttempt(ctx, parts, message.payload.job_id)
        if (!found || found.task.id !== task_id || found.attempt !== attempt) return
        const data = { task_id, agent_role: parts.role, attempt, analysis: analysis.slice(0, MAX_ANALYSIS), chars, ...deps.streamedUsage?.(parts.role, chars) }
        deps.announce(ctx, await appendEvents(ctx.trx, parts.sessionId, [{ type: 'task_progress', data }]))
      }),
      [AbortTask.type]: on(AbortTask, async (ctx, message) => {
        const parts = partsOf(ctx)
        const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
        if (task) ctx.cancelJob(attemptJobId(task.id, message.payload.attempt))
      }),
      [JobCompleted.type]: on(JobCompleted, async (ctx, message) => {
        const parts = partsOf(ctx)
        const parsed = RunAgentJob.output.safeParse(message.payload.output)
        if (!parsed.success) {
          await onJobFailure(ctx, parts, message.payload.job_id, 'error', 'The agent job returned an unreadable result.')
          return
        }
        const outcome = parsed.data
        const supervisor = supervisorOf(parts.sessionId)
        if (outcome.ok) {
          // Whether the output waits for a human: the session's review setting, or a confidence under its threshold.
          const gate = await loadReviewGate(ctx.trx, parts.sessionId)
          const confidence = outputConfidence(outcome.output_json)
          const reason = gate ? reviewReason(gate, parts.role, confidence) : null
          // One round trip checks that this attempt is current and unreported, and records it (the task completes).
          const completed = await recordTaskResult(ctx.trx, {
            sessionId: parts.sessionId,
            now: new Date(),
            jobId: message.payload.job_id,
            taskId: outcome.task_id,
            role: parts.role,
            attempt: outcome.attempt,
            outputJson: outcome.output_json,
            decisions: outcome.decisions,
            model: outcome.model,
            provider: outcome.provider,
            inputTokens: outcome.input_tokens,
            outputTokens: outcome.output_tokens,
            costUsd: outcome.cost_usd,
            durationMs: outcome.duration_ms,
            repaired: outcome.repaired,
            replacedCharacters: outcome.replaced_characters,
            replyOutcome: outcome.reply_outcome,
            replies: outcome.replies,
            cachedInputTokens: outcome.cached_input_tokens,
            contextJson: outcome.context_json,
            capabilities: getRole(parts.role).capabilities,
            nodeId: deps.nodeId,
            review: reason ? { reason, confidence } : null,
          })
          if (completed) {
            if (outcome.cost_usd === null) deps.unpricedModel?.(outcome.model)
            deps.announce(ctx, [completed])
            ctx.tell(supervisor, TaskSucceeded({ role: parts.role, attempt: outcome.attempt, ...(reason ? { review: true } : {}) }))
          }
          return
        }
        if (outcome.error.kind === 'abort') {
          // Nothing else aborts a current attempt (a cancelled job reports nothing): it ran out of time.
          await onJobFailure(ctx, parts, message.payload.job_id, 'timeout', outcome.error.message)
          return
        }
        const found = await unreportedAttempt(ctx, parts, message.payload.job_id)
        if (!found || found.attempt !== outcome.attempt) return
        const { task } = found
        await markReported(ctx.trx, task.id, message.payload.job_id)
        await recordTaskFailure(ctx.trx, {
          taskId: task.id,
          role: parts.role,
          attempt: outcome.attempt,
          error: outcome.error.message,
          kind: outcome.error.kind,
          context: { issues: outcome.error.issues, status: outcome.error.status },
          replies: outcome.error.replies,
          capabilities: getRole(parts.role).capabilities,
          nodeId: deps.nodeId,
        })
        ctx.tell(
          supervisor,
          TaskFailed({ role: parts.role, attempt: outcome.attempt, error: outcome.error.message.slice(0, 4000), retryable: outcome.error.retryable }),
        )
      }),
      [JobFailed.type]: on(JobFailed, async (ctx, message) => {
        const parts = partsOf(ctx)
        await onJobFailure(ctx, parts, message.payload.job_id, message.payload.reason, message.payload.error)
      }),
    },
  })
}

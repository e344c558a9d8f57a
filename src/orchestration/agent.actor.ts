import { sql, type Transaction } from 'kysely'
import { z } from 'zod'
import { type ActorContext, type Behaviour, defineBehaviour, JobCompleted, JobFailed, JobProgressed, parseAddress } from '../actors/index.ts'
import { type AgentRole, getRole, isAgentRole, listRoles } from '../agents/index.ts'
import type { Database, SessionPlan } from '../db/index.ts'
import { appendEvents, type SessionEvent } from '../events/index.ts'
import { AbortTask, RunTask, TaskFailed, TaskSucceeded, TaskTimedOut } from './messages.ts'
import { buildPlanGraph } from './plan.ts'
import { RunAgentJob, type RunAgentInput } from './run-agent.job.ts'
import { recordTaskFailure, recordTaskResult } from './task-records.ts'

type Trx = Transaction<Database>

/** What a `run-agent` job reports while its model streams (see agent-job.ts). */
const AgentProgressData = z.object({ task_id: z.number().int(), attempt: z.number().int(), analysis: z.string(), chars: z.number().int() })

/** How much of the streamed analysis one progress event carries. */
const MAX_ANALYSIS = 4000

/** How many journal decisions an agent's input carries (the prompt condenses further). */
const JOURNAL_LIMIT = 50

export interface AgentBehaviourDeps {
  /** A task attempt running longer is aborted and reported as timed out. */
  taskTimeoutMs: number
  nodeId: string
  /** Announces committed events (after the commit). */
  announce: (ctx: ActorContext, events: SessionEvent[]) => void
}

/** `agent/<session>/<role>` → its session id and role; null for anything else. */
export function agentAddressParts(address: string): { sessionId: number; role: AgentRole } | null {
  const parsed = parseAddress(address)
  const role = address.split('/')[2]
  if (!parsed || parsed.kind !== 'agent' || !role || !isAgentRole(role) || !/^\d+$/.test(parsed.key)) return null
  return { sessionId: Number(parsed.key), role }
}

/** The job an attempt runs as, stored in the seed's `celery_task_id` column: `<attempt>:<job id>`. */
function jobRef(attempt: number, jobId: string): string {
  return `${attempt}:${jobId}`
}

/** Marks the attempt's outcome as recorded, so a redelivered outcome for it is ignored. */
async function markReported(trx: Trx, taskId: number, attempt: number, jobId: string): Promise<void> {
  await trx.updateTable('agent_tasks').set({ celery_task_id: `${jobRef(attempt, jobId)}:reported` }).where('id', '=', taskId).execute()
}

/** The attempt `jobId` ran, while its outcome is not yet recorded; null otherwise. */
function attemptOfJob(ref: string | null, jobId: string): number | null {
  if (!ref) return null
  const [attempt, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)]
  return id === jobId && /^\d+$/.test(attempt) ? Number(attempt) : null
}

async function loadTask(trx: Trx, sessionId: number, role: AgentRole) {
  return trx
    .selectFrom('agent_tasks')
    .select(['id', 'status', 'retry_count', 'retry_at', 'celery_task_id'])
    .where('session_id', '=', sessionId)
    .where('agent_role', '=', role)
    .executeTakeFirst()
}

/** The task is on exactly this attempt and running it (not waiting for a retry). */
function isCurrent(task: { status: string; retry_count: number; retry_at: Date | null }, attempt: number): boolean {
  return task.status === 'running' && task.retry_count === attempt - 1 && task.retry_at === null
}

/** A session's tasks as an agent reads them (its own row included). */
type TaskRows = Array<{
  feature_name: string
  description: string
  plan: string
  id: number
  agent_role: string
  status: string
  retry_count: number
  retry_at: Date | null
  celery_task_id: string | null
  output_data: unknown
}>

/** Everything the model call needs: the feature, the journal so far and the outputs of the roles it depends on. */
async function buildInput(trx: Trx, sessionId: number, role: AgentRole, tasks: TaskRows, taskId: number, attempt: number): Promise<RunAgentInput> {
  const session = tasks[0] as TaskRows[number]
  const graph = buildPlanGraph(session.plan as SessionPlan, tasks.map((t) => t.agent_role as AgentRole), listRoles())
  const deps = new Set(graph.get(role) ?? [])
  // Every role this one waits for, directly or not: their work is finished before it starts, so its
  // input does not depend on how fast roles running beside it happen to be.
  const before = new Set<AgentRole>()
  const visit = (r: AgentRole): void => {
    for (const d of graph.get(r) ?? []) {
      if (before.has(d)) continue
      before.add(d)
      visit(d)
    }
  }
  visit(role)
  const upstream = tasks
    .filter((t) => deps.has(t.agent_role as AgentRole) && t.status === 'completed' && t.output_data)
    .map((t) => ({ role: t.agent_role as AgentRole, output: t.output_data as Record<string, unknown> }))
  const finishedBefore = tasks.filter((t) => before.has(t.agent_role as AgentRole) && t.status === 'completed')
  const roleOfTask = new Map(finishedBefore.map((t) => [t.id, t.agent_role]))
  // The journal in one round trip: the users' latest decisions (by the session's index) and
  // all of the finished roles' (at most 20 each, by the tasks' index; no join, no sort that
  // could tempt the planner into walking the whole table by id), newest last.
  const { rows } = await sql<{ text: string; category: string | null; task_id: number | null; id: number }>`
    (select decision_text as text, category, null::bigint as task_id, id from session_decisions
      where session_id = ${sessionId} order by id desc limit ${JOURNAL_LIMIT})
    union all
    select decision_text, category, agent_task_id, id from task_decisions
      where agent_task_id = any(${finishedBefore.length > 0 ? finishedBefore.map((t) => t.id) : [0]}::bigint[])`.execute(trx)
  const users = rows.filter((d) => d.task_id === null).sort((a, b) => a.id - b.id)
  const roles = rows
    .filter((d) => d.task_id !== null)
    .sort((a, b) => a.id - b.id)
    .slice(-JOURNAL_LIMIT)
  return {
    session_id: sessionId,
    task_id: taskId,
    attempt,
    role,
    feature_name: session.feature_name,
    description: session.description,
    decisions: [...users, ...roles].map((d) => ({
      text: d.text,
      category: d.category ?? 'general',
      source: d.task_id === null ? 'user' : (roleOfTask.get(d.task_id) ?? 'user'),
    })),
    upstream,
  }
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

  const onJobFailure = async (
    ctx: ActorContext,
    parts: { sessionId: number; role: AgentRole },
    jobId: string,
    reason: string,
    error: string,
  ): Promise<void> => {
    const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
    const attempt = task ? attemptOfJob(task.celery_task_id, jobId) : null
    if (!task || attempt === null || !isCurrent(task, attempt)) return
    await markReported(ctx.trx, task.id, attempt, jobId)
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

  return defineBehaviour({
    kind: 'agent',
    accepts: [RunTask, AbortTask, JobCompleted, JobFailed, JobProgressed],
    async receive(message, ctx) {
      const parts = agentAddressParts(ctx.self)
      if (!parts) throw new Error(`Not an agent address: ${ctx.self}`)
      if (RunTask.is(message)) {
        const { attempt, task_id } = message.payload
        // The session's tasks with the session's own fields alongside: one round trip.
        const tasks: TaskRows = await ctx.trx
          .selectFrom('agent_tasks')
          .innerJoin('execution_sessions', 'execution_sessions.id', 'agent_tasks.session_id')
          .select([
            'execution_sessions.feature_name',
            'execution_sessions.description',
            'execution_sessions.plan',
            'agent_tasks.id',
            'agent_tasks.agent_role',
            'agent_tasks.status',
            'agent_tasks.retry_count',
            'agent_tasks.retry_at',
            'agent_tasks.celery_task_id',
            'agent_tasks.output_data',
          ])
          .where('agent_tasks.session_id', '=', parts.sessionId)
          .orderBy('agent_tasks.id')
          .execute()
        const task = tasks.find((t) => t.agent_role === parts.role)
        if (!task || task.id !== task_id || !isCurrent(task, attempt)) return
        if (task.celery_task_id?.startsWith(`${attempt}:`)) return // this attempt is already running
        const input = await buildInput(ctx.trx, parts.sessionId, parts.role, tasks, task.id, attempt)
        const jobId = ctx.submitJob(RunAgentJob, input, { deadlineMs: deps.taskTimeoutMs })
        await ctx.trx.updateTable('agent_tasks').set({ celery_task_id: jobRef(attempt, jobId) }).where('id', '=', task.id).execute()
        return
      }
      if (JobProgressed.is(message)) {
        // The Worker throttles these (one per interval while a model streams). Written only while
        // the attempt is the task's running one; this actor records its outcome too, one message at
        // a time, so a progress event can never follow the attempt's end in the log.
        const progress = AgentProgressData.safeParse(message.payload.data)
        if (!progress.success) return
        const { task_id, attempt, analysis, chars } = progress.data
        const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
        if (!task || task.id !== task_id || attemptOfJob(task.celery_task_id, message.payload.job_id) !== attempt || !isCurrent(task, attempt)) return
        const data = { task_id, agent_role: parts.role, attempt, analysis: analysis.slice(0, MAX_ANALYSIS), chars }
        deps.announce(ctx, await appendEvents(ctx.trx, parts.sessionId, [{ type: 'task_progress', data }]))
        return
      }
      if (AbortTask.is(message)) {
        const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
        const ref = task?.celery_task_id
        if (ref?.startsWith(`${message.payload.attempt}:`)) ctx.cancelJob(ref.slice(ref.indexOf(':') + 1))
        return
      }
      if (JobCompleted.is(message)) {
        const parsed = RunAgentJob.output.safeParse(message.payload.output)
        if (!parsed.success) {
          await onJobFailure(ctx, parts, message.payload.job_id, 'error', 'The agent job returned an unreadable result.')
          return
        }
        const outcome = parsed.data
        const supervisor = supervisorOf(parts.sessionId)
        if (outcome.ok) {
          // One round trip checks that this attempt is current and unreported, and records it.
          const recorded = await recordTaskResult(ctx.trx, {
            jobRef: jobRef(outcome.attempt, message.payload.job_id),
            taskId: outcome.task_id,
            role: parts.role,
            attempt: outcome.attempt,
            output: outcome.output as { decisions: Array<{ text: string; rationale: string; category: string }> },
            model: outcome.model,
            provider: outcome.provider,
            inputTokens: outcome.input_tokens,
            outputTokens: outcome.output_tokens,
            costUsd: outcome.cost_usd,
            durationMs: outcome.duration_ms,
            repaired: outcome.repaired,
            context: outcome.context,
            capabilities: getRole(parts.role).capabilities,
            nodeId: deps.nodeId,
          })
          if (recorded) ctx.tell(supervisor, TaskSucceeded({ role: parts.role, attempt: outcome.attempt }))
          return
        }
        if (outcome.error.kind === 'abort') {
          // Nothing else aborts a current attempt (a cancelled job reports nothing): it ran out of time.
          await onJobFailure(ctx, parts, message.payload.job_id, 'timeout', outcome.error.message)
          return
        }
        const task = await loadTask(ctx.trx, parts.sessionId, parts.role)
        if (!task || attemptOfJob(task.celery_task_id, message.payload.job_id) !== outcome.attempt || !isCurrent(task, outcome.attempt)) return
        await markReported(ctx.trx, task.id, outcome.attempt, message.payload.job_id)
        await recordTaskFailure(ctx.trx, {
          taskId: task.id,
          role: parts.role,
          attempt: outcome.attempt,
          error: outcome.error.message,
          kind: outcome.error.kind,
          context: { issues: outcome.error.issues, status: outcome.error.status },
          capabilities: getRole(parts.role).capabilities,
          nodeId: deps.nodeId,
        })
        ctx.tell(
          supervisor,
          TaskFailed({ role: parts.role, attempt: outcome.attempt, error: outcome.error.message.slice(0, 4000), retryable: outcome.error.retryable }),
        )
        return
      }
      if (JobFailed.is(message)) {
        await onJobFailure(ctx, parts, message.payload.job_id, message.payload.reason, message.payload.error)
      }
    },
  })
}

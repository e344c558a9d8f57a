import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import { prepareSessionCheck } from '../consistency/index.ts'
import type { Database, SessionAwaiting, SessionPlan, SessionStatus, TaskStatus } from '../db/index.ts'
import { type AppendedEventRow, type EventData, eventAppendCtes, eventsFromRows, type NewSessionEvent, type SessionEvent } from '../events/index.ts'
import { budgetExceededData } from './budget-events.ts'
import { releaseReservations } from './budget-reserve.ts'
import { buildPlanGraph, type RoleDependencies } from './plan.ts'
import type { RunAgentInput } from './run-agent.job.ts'
import { buildInput, type JournalRow, ROLE_DECISIONS_JSON, type RunTaskView, USER_DECISIONS_JSON } from './run-task-input.ts'
import type { SupervisorCommand, SupervisorState, TaskState } from './supervisor-state.ts'

type Trx = Transaction<Database>

/** Whole seconds from `started_at` to `to`, computed by the database (no read before the write). */
function secondsSinceStart(to: RawBuilder<unknown>): RawBuilder<number | null> {
  return sql<number | null>`greatest(0, round(extract(epoch from (${to} - started_at))))::int`
}

/**
 * Rebuilds a session's supervision state from its rows (after a restart or a takeover
 * the rows are the truth). Null when the session does not exist.
 */
export async function loadSupervisorState(trx: Trx, sessionId: number, roles: readonly RoleDependencies[]): Promise<SupervisorState | null> {
  // One round trip: the session and its tasks.
  const { rows: found } = await sql<{
    status: SessionStatus
    plan: string
    awaiting: SessionAwaiting | null
    tasks: Array<{
      id: number
      agent_role: string
      status: TaskStatus
      retry_count: number
      retry_at: string | null
      attempt_base: number
      started: boolean
    }>
  }>`
    select s.status, s.plan, s.awaiting,
      coalesce((select json_agg(json_build_object('id', t.id, 'agent_role', t.agent_role, 'status', t.status,
          'retry_count', t.retry_count, 'retry_at', t.retry_at, 'attempt_base', t.attempt_base,
          'started', t.started_at is not null) order by t.id)
        from agent_tasks t where t.session_id = s.id), '[]') as tasks
    from execution_sessions s where s.id = ${sessionId}`.execute(trx)
  const session = found[0]
  if (!session) return null
  const rows = session.tasks
  const tasks: TaskState[] = rows.map((row) => ({
    role: row.agent_role as AgentRole,
    taskId: row.id,
    status: row.status,
    // A task that never ran (pending, or skipped/cancelled before it started) is on its retry_count:
    // 0 before its first attempt, its last attempt once resumed; so is a task waiting for a budget.
    attempt: row.status === 'pending' || row.status === 'awaiting_budget' || !row.started ? row.retry_count : row.retry_count + 1,
    waitingRetry: row.retry_at !== null,
    attemptBase: row.attempt_base,
  }))
  // Retries count failed attempts: a task waiting for its retry is still on the failed attempt.
  for (const task of tasks) if (task.waitingRetry) task.attempt = Math.max(1, task.attempt - 1)
  return {
    sessionId,
    status: session.status,
    graph: buildPlanGraph(session.plan as SessionPlan, tasks.map((t) => t.role), roles),
    tasks,
    awaiting: session.awaiting ?? null,
  }
}

/** The events a supervision step writes: each may carry the tasks that ended beside it. */
type StepEvent = Extract<
  NewSessionEvent,
  { type: 'task_started' | 'task_retrying' | 'task_failed' | 'budget_exceeded' | 'session_completed' | 'session_failed' | 'session_cancelled' }
>

/** A session's end event (its duration is filled in by the statement that ends the session). */
function sessionEndEvent(status: Exclude<SessionStatus, 'active'>, tasks: readonly TaskState[]): StepEvent {
  const data = { status, duration_seconds: null, tasks: tasks.map((t) => ({ task_id: t.taskId, agent_role: t.role, status: t.status })) }
  return { type: `session_${status}`, data } as StepEvent
}

/** The step's events with the consistency check's event right before the session's end event. */
function withCheckEvent(events: readonly StepEvent[], checked: NewSessionEvent): NewSessionEvent[] {
  const end = events.findIndex((e) => e.type.startsWith('session_'))
  return end < 0 ? [...events, checked] : [...events.slice(0, end), checked, ...events.slice(end)]
}

/**
 * Writes what one supervision step decided (task and session rows) and appends the
 * matching events, all in the caller's transaction and in one statement. Returns the
 * events to announce once the transaction has committed and, when the step starts
 * agents, what they need for their input (read by the same statement).
 */
export async function applySupervisorCommands(
  trx: Trx,
  state: SupervisorState,
  commands: readonly SupervisorCommand[],
  now: Date,
): Promise<{ events: SessionEvent[]; context: StepContext | null }> {
  const events: StepEvent[] = []
  // Skipped and cancelled tasks have no event type of their own: their lists ride on the
  // event next to them (the failure that skipped them, or the session's end).
  let carry: Partial<Record<'skipped_tasks' | 'cancelled_tasks', EventData<'task_failed'>['skipped_tasks']>> = {}
  const push = (event: StepEvent): void => {
    events.push({ ...event, data: { ...event.data, ...carry } } as StepEvent)
    carry = {}
  }
  const roleOf = new Map(state.tasks.map((t) => [t.taskId, t.role]))
  const at = sql`${now}::timestamptz`
  // Task row changes: a step changes each task at most once, so each can be its own CTE.
  const writes: RawBuilder<unknown>[] = []
  let ended: Exclude<SessionStatus, 'active'> | null = null
  // The session row's `awaiting`, when the step changed it (undefined: unchanged).
  let awaiting: SessionAwaiting | null | undefined
  // A session ending `completed` is checked for cross-role consistency in this same statement (src/consistency).
  const check = commands.some((c) => c.type === 'session_ended' && c.status === 'completed') ? await prepareSessionCheck(trx, state.sessionId) : null
  if (check?.insertFindings) writes.push(check.insertFindings)
  for (const command of commands) {
    switch (command.type) {
      case 'run_task': {
        // Tasks a step starts together share one update (a stage starts at once).
        const batch = commands.filter((c): c is Extract<SupervisorCommand, { type: 'run_task' }> => c.type === 'run_task' && c.attempt === command.attempt)
        if (batch[0] === command) {
          writes.push(sql`update agent_tasks set status = 'running', started_at = coalesce(started_at, ${at}),
            retry_count = ${command.attempt - 1}, retry_at = null where id = any(${batch.map((c) => c.taskId)}::bigint[])`)
        }
        push({ type: 'task_started', data: { task_id: command.taskId, agent_role: command.role, attempt: command.attempt } })
        break
      }
      case 'schedule_retry': {
        const retryAt = new Date(now.getTime() + command.delayMs)
        writes.push(sql`update agent_tasks set retry_count = ${command.attempt}, retry_at = ${retryAt}::timestamptz,
          error_message = ${command.error} where id = ${command.taskId}`)
        push({
          type: 'task_retrying',
          data: {
            task_id: command.taskId,
            agent_role: command.role,
            failed_attempt: command.attempt,
            next_attempt: command.attempt + 1,
            retry_at: retryAt.toISOString(),
            error: command.error,
          },
        })
        break
      }
      case 'task_failed': {
        writes.push(...releaseReservations([command.taskId]))
        writes.push(sql`update agent_tasks set status = 'failed', completed_at = ${at}, duration_seconds = ${secondsSinceStart(at)},
          retry_at = null, error_message = ${command.error} where id = ${command.taskId}`)
        push({ type: 'task_failed', data: { task_id: command.taskId, agent_role: command.role, attempt: command.attempt, error: command.error } })
        break
      }
      case 'tasks_ended': {
        writes.push(...releaseReservations(command.taskIds))
        writes.push(sql`update agent_tasks set status = ${command.status}, completed_at = ${at}, retry_at = null
          where id = any(${command.taskIds}::bigint[])`)
        const list = command.taskIds.map((id) => ({ task_id: id, agent_role: roleOf.get(id) as AgentRole }))
        const last = events.at(-1)
        if (last && last.type !== 'budget_exceeded') last.data[`${command.status}_tasks`] = list
        else carry[`${command.status}_tasks`] = list
        break
      }
      case 'session_ended': {
        ended = command.status
        push(sessionEndEvent(command.status, state.tasks))
        break
      }
      case 'session_awaiting':
        awaiting = command.awaiting
        break
      case 'task_awaiting_budget': {
        writes.push(sql`update agent_tasks set status = 'awaiting_budget', retry_count = ${command.attempt - 1}, retry_at = null where id = ${command.taskId}`)
        push({ type: 'budget_exceeded', data: budgetExceededData(command) })
        break
      }
      case 'abort_task':
        break // carried out by the actor: it aborts the running job
      case 'task_completed':
        break // recorded by the agent with its output (recordTaskResult)
      case 'task_approved':
        // Its task_reviewed event and review row are written beside the step (review-records.ts).
        writes.push(sql`update agent_tasks set status = 'completed' where id = ${command.taskId} and status = 'awaiting_review'`)
        break
    }
  }
  if (events.length === 0) {
    if (awaiting !== undefined) writes.push(sql`update execution_sessions set awaiting = ${awaiting} where id = ${state.sessionId}`)
    for (const write of writes) await write.execute(trx)
    return { events: [], context: null }
  }
  // What the agents this step starts need to know, read in the same statement.
  const starting = commands.filter((c) => c.type === 'run_task').map((c) => c.role)
  const upstream = [...new Set(starting.flatMap((role) => state.graph.get(role) ?? []))]
  // The session row: its event counter, and its end when the step ends it (only an active session ends).
  const ending = sql`${ended}::text is not null and status = 'active'`
  const endsSession = sql`status = case when ${ending} then ${ended}::text else status end,
        ended_at = case when ${ending} then ${at} else ended_at end,
        duration_seconds = case when ${ending} then ${secondsSinceStart(at)} else duration_seconds end${
          awaiting === undefined ? sql`` : sql`, awaiting = ${awaiting}`
        }${check ? sql`, consistency_score = case when ${ending} then ${check.result.score}::int else consistency_score end` : sql``}`
  const ctes = writes.map((write, i) => sql`${sql.raw(`w${i}`)} as (${write}),`)
  // `at` comes back as text from json_agg.
  const { rows } = await sql<{ events: Array<Omit<AppendedEventRow, 'at'> & { at: string }> | null; context: StepContext | null }>`
    with ${sql.join(ctes, sql` `)}
    ${eventAppendCtes({ sessionId: state.sessionId, events: check ? withCheckEvent(events, check.event) : events, alsoSet: endsSession })}
    select (select json_agg(json_build_object('session_id', session_id, 'seq', seq, 'type', type, 'at', at, 'data', data) order by seq)
      from appended_events) as events,
      ${starting.length === 0 ? sql`null` : stepContext(state.sessionId, upstream)} as context`.execute(trx)
  const row = rows[0]
  return { events: eventsFromRows(row?.events ?? []), context: row?.context ?? null }
}

/**
 * What agents starting in a step read, besides what the supervisor knows: the feature,
 * the outputs of the finished roles they build on, the users' latest decisions and the
 * decisions of every finished task (each agent keeps those of the roles it waits for).
 */
export interface StepContext {
  feature_name: string
  description: string
  plan: string
  outputs: Array<{ id: number; output_data: Record<string, unknown> | null }>
  /** The tasks that carry feedback for their next attempt (a reviewer's comment, a fork's feedback). */
  feedback: Array<{ id: number; feedback: string }>
  user_decisions: JournalRow[]
  role_decisions: Array<JournalRow & { task_id: number }>
}

function stepContext(sessionId: number, upstream: readonly string[]): RawBuilder<StepContext> {
  return sql<StepContext>`(select json_build_object(
      'feature_name', s.feature_name, 'description', s.description, 'plan', s.plan,
      'outputs', coalesce((select json_agg(json_build_object('id', t.id, 'output_data', t.output_data))
        from agent_tasks t where t.session_id = s.id and t.status = 'completed' and t.agent_role = any(${upstream}::text[])), '[]'),
      'feedback', coalesce((select json_agg(json_build_object('id', t.id, 'feedback', t.feedback))
        from agent_tasks t where t.session_id = s.id and t.feedback is not null), '[]'),
      'user_decisions', ${USER_DECISIONS_JSON}, 'role_decisions', ${ROLE_DECISIONS_JSON})
    from execution_sessions s where s.id = ${sessionId})`
}

/** The input of an agent this step starts, from the step's context and the supervisor's new state. */
export function stepInput(context: StepContext, state: SupervisorState, role: AgentRole, taskId: number, attempt: number): RunAgentInput {
  const outputs = new Map(context.outputs.map((o) => [o.id, o.output_data]))
  const feedback = new Map((context.feedback ?? []).map((f) => [f.id, f.feedback]))
  const view: RunTaskView = {
    feature_name: context.feature_name,
    description: context.description,
    plan: context.plan,
    tasks: state.tasks.map((t) => ({
      id: t.taskId,
      agent_role: t.role,
      status: t.status,
      retry_count: Math.max(0, t.attempt - 1),
      retry_at: null,
      celery_task_id: null,
      output_data: outputs.get(t.taskId) ?? null,
      feedback: feedback.get(t.taskId) ?? null,
    })),
    user_decisions: context.user_decisions,
    role_decisions: context.role_decisions,
  }
  return buildInput(view, state.sessionId, role, taskId, attempt)
}

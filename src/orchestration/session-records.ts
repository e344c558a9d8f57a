import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database, SessionPlan, SessionStatus, TaskStatus } from '../db/index.ts'
import { appendEvents, type NewSessionEvent, type SessionEvent } from '../events/index.ts'
import { buildPlanGraph, type RoleDependencies } from './plan.ts'
import type { SupervisorCommand, SupervisorState, TaskState } from './supervisor-state.ts'

type Trx = Transaction<Database>

/** Whole seconds from a timestamp column to `to`, computed by the database (no read before the write). */
function secondsSince(column: 'started_at', to: Date): RawBuilder<number | null> {
  return sql<number | null>`greatest(0, round(extract(epoch from (${to}::timestamptz - ${sql.ref(column)}))))::int`
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
    tasks: Array<{ id: number; agent_role: string; status: TaskStatus; retry_count: number; retry_at: string | null }>
  }>`
    select s.status, s.plan,
      coalesce((select json_agg(json_build_object('id', t.id, 'agent_role', t.agent_role, 'status', t.status,
          'retry_count', t.retry_count, 'retry_at', t.retry_at) order by t.id)
        from agent_tasks t where t.session_id = s.id), '[]') as tasks
    from execution_sessions s where s.id = ${sessionId}`.execute(trx)
  const session = found[0]
  if (!session) return null
  const rows = session.tasks
  const tasks: TaskState[] = rows.map((row) => ({
    role: row.agent_role as AgentRole,
    taskId: row.id,
    status: row.status,
    attempt: row.status === 'pending' ? 0 : row.retry_count + 1,
    waitingRetry: row.retry_at !== null,
  }))
  // Retries count failed attempts: a task waiting for its retry is still on the failed attempt.
  for (const task of tasks) if (task.waitingRetry) task.attempt = Math.max(1, task.attempt - 1)
  return {
    sessionId,
    status: session.status,
    graph: buildPlanGraph(session.plan as SessionPlan, tasks.map((t) => t.role), roles),
    tasks,
  }
}

/**
 * Writes what one supervision step decided (task and session rows) and appends the
 * matching events, all in the caller's transaction. Returns the events to announce
 * once the transaction has committed.
 */
export async function applySupervisorCommands(
  trx: Trx,
  state: SupervisorState,
  commands: readonly SupervisorCommand[],
  now: Date,
): Promise<SessionEvent[]> {
  const events: NewSessionEvent[] = []
  // Skipped and cancelled tasks have no event type of their own: their lists ride on the
  // event next to them (the failure that skipped them, or the session's end).
  let carry: Record<string, unknown> = {}
  const push = (event: NewSessionEvent): void => {
    events.push({ type: event.type, data: { ...event.data, ...carry } })
    carry = {}
  }
  const roleOf = new Map(state.tasks.map((t) => [t.taskId, t.role]))
  for (const command of commands) {
    switch (command.type) {
      case 'run_task': {
        // Tasks a step starts together share one statement (a stage starts at once).
        const batch = commands.filter((c): c is Extract<SupervisorCommand, { type: 'run_task' }> => c.type === 'run_task' && c.attempt === command.attempt)
        if (batch[0] === command) {
          await trx
            .updateTable('agent_tasks')
            .set((eb) => ({
              status: 'running' as TaskStatus,
              started_at: eb.fn.coalesce('started_at', eb.val(now)),
              retry_count: command.attempt - 1,
              retry_at: null,
            }))
            .where('id', 'in', batch.map((c) => c.taskId))
            .execute()
        }
        push({ type: 'task_started', data: { task_id: command.taskId, agent_role: command.role, attempt: command.attempt } })
        break
      }
      case 'schedule_retry': {
        const retryAt = new Date(now.getTime() + command.delayMs)
        await trx
          .updateTable('agent_tasks')
          .set({ retry_count: command.attempt, retry_at: retryAt, error_message: command.error })
          .where('id', '=', command.taskId)
          .execute()
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
        await trx
          .updateTable('agent_tasks')
          .set({ status: 'failed', completed_at: now, duration_seconds: secondsSince('started_at', now), retry_at: null, error_message: command.error })
          .where('id', '=', command.taskId)
          .execute()
        push({ type: 'task_failed', data: { task_id: command.taskId, agent_role: command.role, attempt: command.attempt, error: command.error } })
        break
      }
      case 'tasks_ended': {
        await trx
          .updateTable('agent_tasks')
          .set({ status: command.status, completed_at: now, retry_at: null })
          .where('id', 'in', command.taskIds)
          .execute()
        const list = command.taskIds.map((id) => ({ task_id: id, agent_role: roleOf.get(id) }))
        const last = events.at(-1)
        if (last) last.data[`${command.status}_tasks`] = list
        else carry[`${command.status}_tasks`] = list
        break
      }
      case 'session_ended': {
        const row = await trx
          .updateTable('execution_sessions')
          .set({ status: command.status, ended_at: now, duration_seconds: secondsSince('started_at', now) })
          .where('id', '=', state.sessionId)
          .where('status', '=', 'active')
          .returning('duration_seconds')
          .executeTakeFirst()
        const finalTasks = state.tasks.map((t) => ({ task_id: t.taskId, agent_role: t.role, status: t.status }))
        push({ type: `session_${command.status}`, data: { status: command.status, duration_seconds: row?.duration_seconds ?? null, tasks: finalTasks } })
        break
      }
      case 'abort_task':
        break // carried out by the actor: it aborts the running job
      case 'task_completed':
        break // recorded by the agent with its output (recordTaskResult)
    }
  }
  return appendEvents(trx, state.sessionId, events)
}

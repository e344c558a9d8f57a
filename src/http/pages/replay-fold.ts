import type { EventHandlers, SessionEventOf } from '../../events/index.ts'
import type { SessionEventView, SessionView, TaskStatus, TaskView } from '../../views/index.ts'

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000)
}

/**
 * The session and its tasks as they were right after `events[step]`, folded from the event log
 * over the tasks' final rows: statuses, start/end times, retries and errors come from the events;
 * a task's output, decisions and tokens show only once it has completed. Pure.
 */
export function foldReplay(
  session: SessionView,
  finalTasks: TaskView[],
  events: SessionEventView[],
  step: number,
): { session: SessionView; tasks: TaskView[] } {
  const tasks = new Map<number, TaskView>(
    finalTasks.map((t) => [
      t.id,
      {
        ...t,
        status: 'pending' as TaskStatus,
        started_at: null,
        completed_at: null,
        duration_seconds: null,
        error_message: null,
        retry_count: 0,
        output_data: null,
        input_tokens: 0,
        output_tokens: 0,
        cost_usd: null,
        decisions: [],
      },
    ]),
  )
  let status: SessionView['status'] = 'active'
  let endedAt: string | null = null
  const set = (id: number, change: Partial<TaskView>): void => {
    const task = tasks.get(id)
    if (task) tasks.set(id, { ...task, ...change })
  }
  const end = (id: number, to: TaskStatus, at: string): void => {
    const task = tasks.get(id)
    if (!task) return
    const completed_at = task.started_at ? at : null
    set(id, { status: to, completed_at, duration_seconds: seconds(task.started_at, completed_at) })
  }
  const skip = (refs: readonly { task_id: number }[] | undefined): void => {
    for (const ref of refs ?? []) set(ref.task_id, { status: 'skipped' })
  }
  const endSession = (e: SessionEventOf<'session_completed' | 'session_failed' | 'session_cancelled'>): void => {
    status = e.data.status
    endedAt = e.at
    for (const t of e.data.tasks) {
      const current = tasks.get(t.task_id)
      if (current && ['pending', 'running', 'awaiting_review'].includes(current.status) && t.status !== current.status) {
        end(t.task_id, t.status as TaskStatus, e.at)
      }
    }
  }
  /** An attempt's output recorded: completed, or awaiting review (its output shown either way). */
  const finish = (id: number, to: TaskStatus, at: string): void => {
    const final = finalTasks.find((t) => t.id === id)
    end(id, to, at)
    if (final) {
      set(id, {
        output_data: final.output_data,
        decisions: final.decisions ?? [],
        input_tokens: final.input_tokens,
        output_tokens: final.output_tokens,
        cost_usd: final.cost_usd ?? null,
        model: final.model,
      })
    }
  }
  // One entry per event type: a new type does not compile until the replay knows what it does.
  const fold: EventHandlers<void> = {
    session_started: () => {},
    task_started: (e) => {
      set(e.data.task_id, { status: 'running', started_at: e.at, completed_at: null, error_message: null, retry_count: Math.max(0, e.data.attempt - 1) })
      skip(e.data.skipped_tasks)
    },
    task_progress: () => {},
    task_completed: (e) => finish(e.data.task_id, 'completed', e.at),
    task_failed: (e) => {
      end(e.data.task_id, 'failed', e.at)
      set(e.data.task_id, { error_message: e.data.error })
      skip(e.data.skipped_tasks)
    },
    task_retrying: (e) => {
      set(e.data.task_id, { status: 'pending', error_message: e.data.error, retry_count: e.data.failed_attempt })
      skip(e.data.skipped_tasks)
    },
    task_review_requested: (e) => finish(e.data.task_id, 'awaiting_review', e.at),
    // Approve completes the task; changes and reject are followed by their own task_started / task_failed.
    task_reviewed: (e) => {
      if (e.data.verdict === 'approve') set(e.data.task_id, { status: 'completed' })
    },
    decision_added: () => {},
    budget_exceeded: () => {},
    consistency_checked: () => {},
    session_resumed: () => {
      status = 'active'
      endedAt = null
    },
    session_completed: endSession,
    session_failed: endSession,
    session_cancelled: endSession,
  }
  for (const e of events.slice(0, Math.max(0, step) + 1)) (fold[e.type] as (e: SessionEventView) => void)(e)
  const started = session.started_at ?? events[0]?.at ?? null
  return {
    session: { ...session, status, ended_at: endedAt, duration_seconds: status === 'active' ? null : seconds(started, endedAt) },
    tasks: [...tasks.values()],
  }
}

import type { SessionEventView, SessionView, TaskStatus, TaskView } from '../../views/index.ts'

const ENDED: Record<string, SessionView['status']> = {
  session_completed: 'completed',
  session_failed: 'failed',
  session_cancelled: 'cancelled',
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null
}

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
  const set = (id: number | null, change: Partial<TaskView>): void => {
    const task = id === null ? undefined : tasks.get(id)
    if (task && id !== null) tasks.set(id, { ...task, ...change })
  }
  const end = (id: number | null, to: TaskStatus, at: string): void => {
    const task = id === null ? undefined : tasks.get(id)
    if (!task || id === null) return
    const completed_at = task.started_at ? at : null
    set(id, { status: to, completed_at, duration_seconds: seconds(task.started_at, completed_at) })
  }
  for (const e of events.slice(0, Math.max(0, step) + 1)) {
    const d = (e.data ?? {}) as Record<string, unknown>
    const id = num(d.task_id)
    switch (e.type) {
      case 'task_started':
        set(id, { status: 'running', started_at: e.at, completed_at: null, error_message: null, retry_count: Math.max(0, (num(d.attempt) ?? 1) - 1) })
        break
      case 'task_completed': {
        const final = id === null ? undefined : finalTasks.find((t) => t.id === id)
        end(id, 'completed', e.at)
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
        break
      }
      case 'task_failed':
        end(id, 'failed', e.at)
        set(id, { error_message: typeof d.error === 'string' ? d.error : null })
        for (const skipped of Array.isArray(d.skipped_tasks) ? d.skipped_tasks : []) set(num(skipped), { status: 'skipped' })
        break
      case 'task_retrying':
        set(id, { status: 'pending', error_message: typeof d.error === 'string' ? d.error : null, retry_count: num(d.failed_attempt) ?? 0 })
        break
      default:
        if (e.type in ENDED) {
          status = ENDED[e.type] as SessionView['status']
          endedAt = e.at
          for (const t of Array.isArray(d.tasks) ? d.tasks : []) {
            const r = (t ?? {}) as Record<string, unknown>
            const tid = num(r.task_id)
            const current = tid === null ? undefined : tasks.get(tid)
            if (current && (current.status === 'pending' || current.status === 'running') && typeof r.status === 'string' && r.status !== current.status) {
              end(tid, r.status as TaskStatus, e.at)
            }
          }
        }
    }
  }
  const started = session.started_at ?? events[0]?.at ?? null
  return {
    session: { ...session, status, ended_at: endedAt, duration_seconds: status === 'active' ? null : seconds(started, endedAt) },
    tasks: [...tasks.values()],
  }
}

import type { TaskStatus } from '../db/index.ts'
import type { SupervisorState, TaskState } from './supervisor-state.ts'

/** What a resume runs again: every task that did not complete. */
const RERUN: ReadonlySet<TaskStatus> = new Set(['failed', 'skipped', 'cancelled'])

/** A resumed session's state, and the tasks it will run again. */
export interface Resumed {
  state: SupervisorState
  reset: TaskState[]
}

/**
 * Resumes an ended session (pure): `failed` and `cancelled` sessions become `active` again,
 * their failed, skipped and cancelled tasks `pending` with their retries counted afresh (their
 * attempts go on counting: each attempt keeps its job and snapshot); completed tasks are kept.
 * Null when the session is not failed or cancelled. The caller then takes a `start` step.
 */
export function resumeState(state: SupervisorState): Resumed | null {
  if (state.status !== 'failed' && state.status !== 'cancelled') return null
  const tasks = state.tasks.map((t) => ({ ...t }))
  const reset: TaskState[] = []
  for (const task of tasks) {
    if (!RERUN.has(task.status)) continue
    task.status = 'pending'
    task.waitingRetry = false
    task.attemptBase = task.attempt
    reset.push(task)
  }
  return { state: { ...state, status: 'active', awaiting: null, tasks }, reset }
}

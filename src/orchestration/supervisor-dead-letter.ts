import type { ActorFailed, MessageOf } from '../actors/index.ts'
import type { TaskStatus } from '../db/index.ts'
import type { SupervisorCommand, SupervisorState, SupervisorStep } from './supervisor-state.ts'

const FINISHED: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'skipped', 'cancelled'])

/** The error a session's tasks fail with when its supervisor lost one of its own messages. */
export function supervisorDeadLetterError(failure: MessageOf<typeof ActorFailed>['payload']): string {
  const what = failure.message_type ? `its message ${failure.message_type}` : 'a message'
  return `the session's supervisor could not handle ${what}: ${failure.detail}`.slice(0, 4000)
}

/**
 * Ends a session whose supervisor lost a message (dead-lettered: its handler kept failing):
 * nothing can be trusted to move it on, so it fails now. Running attempts are aborted; every
 * unfinished task that has run (running, waiting for a retry or a review) fails with `error`,
 * the others (pending, waiting for a budget) are skipped, except that when none had run the
 * first unfinished one fails with `error`, so the reason is on the record. The session waits
 * for nothing any more. Pure; ignored once the session has ended.
 */
export function endForLostMessage(state: SupervisorState, error: string): SupervisorStep {
  if (state.status !== 'active') return { state, commands: [], ignored: 'session_ended' }
  const next: SupervisorState = { ...state, tasks: state.tasks.map((t) => ({ ...t })) }
  const commands: SupervisorCommand[] = []
  const unfinished = next.tasks.filter((t) => !FINISHED.has(t.status))
  const ran = unfinished.filter((t) => t.attempt >= 1 && t.status !== 'pending' && t.status !== 'awaiting_budget')
  const failing = ran.length > 0 ? ran : unfinished.slice(0, 1)
  const skipped: number[] = []
  for (const task of unfinished) {
    if (!failing.includes(task)) {
      task.status = 'skipped'
      skipped.push(task.taskId)
      continue
    }
    if (task.status === 'running' && !task.waitingRetry) commands.push({ type: 'abort_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
    task.status = 'failed'
    task.waitingRetry = false
    task.attempt = Math.max(1, task.attempt)
    commands.push({ type: 'task_failed', role: task.role, taskId: task.taskId, attempt: task.attempt, error })
  }
  if (skipped.length > 0) commands.push({ type: 'tasks_ended', status: 'skipped', taskIds: skipped })
  next.status = 'failed'
  commands.push({ type: 'session_ended', status: 'failed' })
  if (next.awaiting !== null) {
    next.awaiting = null
    commands.push({ type: 'session_awaiting', awaiting: null })
  }
  return { state: next, commands }
}

import { roleLabel } from '../format.ts'
import type { SessionEventView, TaskView } from '../view-types.ts'

function field(data: unknown, key: string): unknown {
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[key] : undefined
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null
}

/** The agent an event is about: its `data.agent_role`, or the role of its `data.task_id`. */
function agentOf(event: SessionEventView, tasks: TaskView[]): string {
  const role = str(field(event.data, 'agent_role'))
  if (role) return roleLabel(role)
  const taskId = field(event.data, 'task_id')
  const task = tasks.find((t) => t.id === taskId)
  return task ? roleLabel(task.agent_role) : 'An agent'
}

/** One plain-text sentence describing a session event, for the replay log and screen readers. */
export function describeEvent(event: SessionEventView, tasks: TaskView[]): string {
  switch (event.type) {
    case 'session_started':
      return 'Session started.'
    case 'task_started':
      return `${agentOf(event, tasks)} started.`
    case 'task_progress':
      return `${agentOf(event, tasks)} is writing its analysis.`
    case 'task_completed':
      return `${agentOf(event, tasks)} completed.`
    case 'task_failed': {
      const error = str(field(event.data, 'error')) ?? str(field(event.data, 'error_message'))
      return `${agentOf(event, tasks)} failed${error ? `: ${error}` : '.'}`
    }
    case 'task_retrying':
      return `${agentOf(event, tasks)} is retrying.`
    case 'decision_added': {
      const text = str(field(event.data, 'decision_text'))
      return text ? `Decision added: ${text}` : 'Decision added.'
    }
    case 'session_completed':
      return 'Session completed.'
    case 'session_failed':
      return 'Session failed.'
    case 'session_cancelled':
      return 'Session cancelled.'
    default:
      return 'Event.'
  }
}

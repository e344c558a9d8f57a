import type { EventHandlers } from '../../events/index.ts'
import { roleLabel } from '../format.ts'
import type { SessionEventView, TaskView } from '../view-types.ts'

/** The agent an event is about: its `data.agent_role`, else the role of its `data.task_id`, else "An agent". */
function agentOf(event: SessionEventView, tasks: readonly TaskView[]): string {
  const data = event.data as { agent_role?: unknown; task_id?: unknown }
  if (typeof data.agent_role === 'string' && data.agent_role !== '') return roleLabel(data.agent_role)
  const task = tasks.find((t) => t.id === data.task_id)
  return task ? roleLabel(task.agent_role) : 'An agent'
}

/**
 * One plain-text sentence describing a session event, for the replay log and screen readers.
 * One entry per event type: a new type does not compile until it is described here.
 */
export function describeEvent(event: SessionEventView, tasks: readonly TaskView[]): string {
  return (describers(tasks)[event.type] as (e: SessionEventView) => string)(event)
}

const describers = (tasks: readonly TaskView[]): EventHandlers<string> => ({
  session_started: () => 'Session started.',
  task_started: (e) => `${agentOf(e, tasks)} started.`,
  task_progress: (e) => `${agentOf(e, tasks)} is writing its analysis.`,
  task_completed: (e) => `${agentOf(e, tasks)} completed.`,
  task_failed: (e) => `${agentOf(e, tasks)} failed${e.data.error ? `: ${e.data.error}` : '.'}`,
  task_retrying: (e) => `${agentOf(e, tasks)} is retrying.`,
  task_review_requested: (e) => `${agentOf(e, tasks)} awaits review.`,
  task_reviewed: (e) => `${agentOf(e, tasks)} was reviewed: ${REVIEW_VERDICTS[e.data.verdict]}.`,
  decision_added: (e) => (e.data.decision_text ? `Decision added: ${e.data.decision_text}` : 'Decision added.'),
  budget_exceeded: (e) => `${agentOf(e, tasks)} waits: the ${e.data.scope === 'session' ? 'session' : 'team’s monthly'} budget would be passed.`,
  consistency_checked: (e) => `Consistency checked: score ${e.data.score}.`,
  session_resumed: () => 'Session resumed.',
  session_completed: () => 'Session completed.',
  session_failed: () => 'Session failed.',
  session_cancelled: () => 'Session cancelled.',
})

const REVIEW_VERDICTS = { approve: 'approved', changes: 'changes requested', reject: 'rejected' } as const

import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import { type EventHandlers, retryTimes, type SessionEvent } from '../../events/index.ts'
import { getSession, listDecisions, listFindings, listSessionReviews, listTasks, sessionBudgetStatus } from '../../sessions/index.ts'
import {
  AgentCardFragment,
  BudgetPanelFragment,
  FindingsSection,
  JournalListFragment,
  LiveAnnouncement,
  ReviewList,
  roleLabel,
  SessionSummaryFragment,
  TaskStreamFragment,
  TaskUsageFragment,
  TimelineFragment,
} from '../../views/index.ts'
import { findingView } from './finding-view.ts'
import { planView } from './plan-view.ts'
import { budgetPanelProps, reviewView, tasksWithDecisions } from './session-data.ts'
import { decisionView, sessionView, taskView } from './view-data.ts'

/** Who watches: owners and members see the complete/cancel buttons, viewers do not. */
export interface LiveViewer {
  can_control: boolean
  /** Owners also see the "Raise budget" form. */
  can_manage?: boolean
}

/** Turns session events into the HTML fragments of the live page. */
export interface LiveRenderer {
  /**
   * The out-of-band fragments for `event`, rendered from the rows as they are NOW (not from the
   * event's data), each replacing exactly the element it is about. A replayed or repeated event
   * therefore leaves the page as a fresh load would show it. Renders are shared by every watcher
   * of the same event in this process.
   */
  render(event: SessionEvent, viewer: LiveViewer): Promise<string>
}

/** Options of {@link createLiveRenderer}. */
export interface LiveRendererDeps {
  db: Kysely<Database>
  /** The render time (elapsed times, the timeline's right edge). */
  clock: () => Date
  /** How many rendered events to keep for other watchers of the same session. */
  cacheSize?: number
}

/** What an event changes on the live page. */
type LiveUpdate =
  /** The journal list. */
  | { kind: 'journal' }
  /** A running attempt's streamed analysis. */
  | { kind: 'progress'; task_id: number; attempt: number; analysis: string; usage?: { output_tokens: number; cost_usd: number | null } }
  /** These tasks' cards, the summary and the timeline, announcing "<role> <verb>". */
  | { kind: 'tasks'; task_ids: number[]; agent_role: string; verb: string }
  /** Every card, the summary and the timeline, announcing the session's change. */
  | { kind: 'session'; change: 'started' | 'resumed' | 'ended' }
  /** The consistency findings section, announcing the score. */
  | { kind: 'findings'; score: number }
  /** Nothing the page shows. */
  | { kind: 'none' }

/** The task ids an event names: its own and those that ended beside it. */
function taskIds(data: { task_id: number; skipped_tasks?: { task_id: number }[] | undefined }): number[] {
  return [data.task_id, ...(data.skipped_tasks ?? []).map((t) => t.task_id)]
}

/** One entry per event type: a new type does not compile until the live page knows what it changes. */
const UPDATES: EventHandlers<LiveUpdate> = {
  session_started: () => ({ kind: 'session', change: 'started' }),
  task_started: (e) => ({ kind: 'tasks', task_ids: taskIds(e.data), agent_role: e.data.agent_role, verb: 'started' }),
  task_progress: (e) => ({
    kind: 'progress',
    task_id: e.data.task_id,
    attempt: e.data.attempt,
    analysis: e.data.analysis,
    ...(e.data.output_tokens !== undefined ? { usage: { output_tokens: e.data.output_tokens, cost_usd: e.data.cost_usd ?? null } } : {}),
  }),
  task_completed: (e) => ({ kind: 'tasks', task_ids: taskIds(e.data), agent_role: e.data.agent_role, verb: 'completed' }),
  task_failed: (e) => ({ kind: 'tasks', task_ids: taskIds(e.data), agent_role: e.data.agent_role, verb: 'failed' }),
  task_retrying: (e) => ({ kind: 'tasks', task_ids: taskIds(e.data), agent_role: e.data.agent_role, verb: 'will retry' }),
  task_review_requested: (e) => ({ kind: 'tasks', task_ids: [e.data.task_id], agent_role: e.data.agent_role, verb: 'awaits review' }),
  task_reviewed: (e) => ({ kind: 'tasks', task_ids: [e.data.task_id], agent_role: e.data.agent_role, verb: 'was reviewed' }),
  decision_added: () => ({ kind: 'journal' }),
  budget_exceeded: (e) => ({ kind: 'tasks', task_ids: [e.data.task_id], agent_role: e.data.agent_role, verb: 'waits for budget' }),
  consistency_checked: (e) => ({ kind: 'findings', score: e.data.score }),
  session_resumed: () => ({ kind: 'session', change: 'resumed' }),
  session_completed: () => ({ kind: 'session', change: 'ended' }),
  session_failed: () => ({ kind: 'session', change: 'ended' }),
  session_cancelled: () => ({ kind: 'session', change: 'ended' }),
}

/** What `event` changes on the live page. */
function liveUpdate(event: SessionEvent): LiveUpdate {
  return (UPDATES[event.type] as (e: SessionEvent) => LiveUpdate)(event)
}

/** The HTML fragments for the live session page, with a small shared cache (one render per event per viewer kind). */
export function createLiveRenderer(deps: LiveRendererDeps): LiveRenderer {
  const cacheSize = deps.cacheSize ?? 256
  const cache = new Map<string, Promise<string>>()

  async function renderNow(event: SessionEvent, viewer: LiveViewer): Promise<string> {
    const now = deps.clock().toISOString()
    const row = await getSession(deps.db, event.session_id)
    if (!row) return ''
    const update = liveUpdate(event)
    if (update.kind === 'none') return ''

    if (update.kind === 'journal') {
      const [decisions, taskRows] = await Promise.all([listDecisions(deps.db, row.id), listTasks(deps.db, row.id)])
      const tasks = taskRows.map((t) => taskView(t)) // agents' entries show their confidence as the cards do
      return (await Promise.all([<JournalListFragment decisions={decisions.map(decisionView)} tasks={tasks} />, <LiveAnnouncement message="A decision was added to the journal." />])).join('')
    }

    if (update.kind === 'findings') {
      const findings = (await listFindings(deps.db, row.id)).map(findingView)
      const section = (
        <FindingsSection session_id={row.id} score={row.consistency_score} findings={findings} can_act={viewer.can_control} can_fork={row.status !== 'active'} csrf_token={null} oob />
      )
      return (await Promise.all([section, <LiveAnnouncement message={`Consistency checked: score ${update.score} / 100.`} />])).join('')
    }

    const { views: tasks } = await tasksWithDecisions(deps.db, row.id)
    const plan = planView(row.plan, tasks.map((t) => t.agent_role), tasks)
    const session = sessionView(row)
    const byId = new Map(tasks.map((t) => [t.id, t]))

    if (update.kind === 'progress') {
      const task = byId.get(update.task_id)
      if (!task) return ''
      // Still streaming this attempt: replace the stream area with the whole analysis so far.
      if (task.status === 'running' && update.attempt === task.retry_count + 1) {
        const stream = await (<TaskStreamFragment task_id={task.id} text={update.analysis} />)
        return update.usage ? stream + (await (<TaskUsageFragment task_id={task.id} {...update.usage} />)) : stream
      }
      // A stale progress report (the attempt ended since): the card as it is now.
      return await (<AgentCardFragment task={task} plan={plan} now={now} can_review={viewer.can_control} />)
    }

    let cards = tasks
    let announcement: string
    if (update.kind === 'tasks') {
      const ids = new Set(update.task_ids)
      cards = tasks.filter((t) => ids.has(t.id))
      announcement = `${roleLabel(update.agent_role)} ${update.verb}.`
    } else {
      announcement = update.change !== 'ended' ? `The session ${update.change}.` : `The session ${row.status === 'active' ? 'is ending' : row.status}.`
    }
    const retries = await retryTimes(deps.db, row.id)
    const parts = await Promise.all([
      ...cards.map((t) => (
        <AgentCardFragment
          task={t}
          plan={plan}
          now={now}
          can_review={viewer.can_control}
          fork={viewer.can_control && row.status !== 'active' ? { session_id: row.id } : undefined}
        />
      )),
      <SessionSummaryFragment session={session} tasks={tasks} plan={plan} now={now} can_control={viewer.can_control} csrf_token={null} />,
      <TimelineFragment session={session} plan={plan} tasks={tasks} now={now} retries={retries} />,
      <BudgetPanelFragment {...budgetPanelProps(row, await sessionBudgetStatus(deps.db, row.id), viewer.can_manage === true, null)} />,
      <LiveAnnouncement message={announcement} />,
      // A verdict also adds to the page's review list and its journal.
      event.type === 'task_reviewed' ? <ReviewList reviews={(await listSessionReviews(deps.db, row.id)).map(reviewView)} oob /> : '',
      event.type === 'task_reviewed' ? <JournalListFragment decisions={(await listDecisions(deps.db, row.id)).map(decisionView)} tasks={tasks} /> : '',
    ])
    return parts.join('')
  }

  return {
    render(event, viewer) {
      const key = `${event.session_id}:${event.id}:${viewer.can_control ? 'c' : 'r'}${viewer.can_manage ? 'm' : ''}`
      const hit = cache.get(key)
      if (hit) return hit
      const rendering = renderNow(event, viewer)
      cache.set(key, rendering)
      rendering.catch(() => cache.delete(key))
      // Oldest first out: a Map iterates in insertion order.
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string)
      return rendering
    },
  }
}

import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { EventHandlers, SessionEvent } from '../../events/index.ts'
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
import { type LiveViewState, loadViewState } from '../live/view-state.ts'
import { planView } from './plan-view.ts'
import { budgetPanelProps } from './session-data.ts'
import { sessionView, taskView } from './view-data.ts'

/** Who watches: owners and members see the complete/cancel buttons, viewers do not. */
export interface LiveViewer {
  can_control: boolean
  /** Owners also see the "Raise budget" form. */
  can_manage?: boolean
}

/** Turns session events into the HTML fragments of the live page, from the rows as they are now (one-off renders; the streams keep a view state instead). */
export interface LiveRenderer {
  /** {@link renderLiveEvent} over the session's rows as they are now; '' when the session is gone. */
  render(event: SessionEvent, viewer: LiveViewer): Promise<string>
}

/** Renders shared by the events of one batch (one state, one `now`): pass the same map to each, a new one after the state changes. */
export type LiveRenderMemo = Map<string, unknown>

/** Options of {@link createLiveRenderer}. */
export interface LiveRendererDeps {
  db: Kysely<Database>
  /** The render time (elapsed times, the timeline's right edge). */
  clock: () => Date
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

/**
 * The out-of-band fragments for `event`, rendered from the session's view state as it is NOW
 * (not from the event's data, except a running attempt's streamed analysis), each replacing
 * exactly the element it is about. A replayed or repeated event therefore leaves the page as a
 * fresh load would show it. No database read: the state holds everything.
 */
export async function renderLiveEvent(state: LiveViewState, event: SessionEvent, viewer: LiveViewer, now: string, shared?: LiveRenderMemo): Promise<string> {
  // Parts every event of a batch renders alike (the summary, the timeline, the budget panel) are made once per batch.
  const memo = shared ?? new Map<string, unknown>()
  const once = <T,>(key: string, make: () => T): T => {
    if (!memo.has(key)) memo.set(key, make())
    return memo.get(key) as T
  }
  const row = state.row
  const update = liveUpdate(event)
  if (update.kind === 'none') return ''

  if (update.kind === 'journal') {
    // Agents' entries show their confidence as the cards do.
    const tasks = state.tasks.map((t) => taskView(t))
    return (await Promise.all([<JournalListFragment decisions={state.decisions} tasks={tasks} />, <LiveAnnouncement message="A decision was added to the journal." />])).join('')
  }

  if (update.kind === 'findings') {
    const section = (
      <FindingsSection session_id={row.id} score={row.consistency_score} findings={state.findings} can_act={viewer.can_control} can_fork={row.status !== 'active'} csrf_token={null} oob />
    )
    return (await Promise.all([section, <LiveAnnouncement message={`Consistency checked: score ${update.score} / 100.`} />])).join('')
  }

  const { tasks, plan, session } = once('views', () => {
    const tasks = state.tasks.map((t) => taskView(t, state.taskDecisions.get(t.id) ?? []))
    return { tasks, plan: planView(row.plan, tasks.map((t) => t.agent_role), tasks), session: sessionView(row) }
  })

  if (update.kind === 'progress') {
    const task = tasks.find((t) => t.id === update.task_id)
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
    once(`summary:${viewer.can_control}`, () => <SessionSummaryFragment session={session} tasks={tasks} plan={plan} now={now} can_control={viewer.can_control} csrf_token={null} />),
    once('timeline', () => <TimelineFragment session={session} plan={plan} tasks={tasks} now={now} retries={state.retries} />),
    once(`budget:${viewer.can_manage === true}`, () => <BudgetPanelFragment {...budgetPanelProps(row, state.budget, viewer.can_manage === true, null)} />),
    <LiveAnnouncement message={announcement} />,
    // A verdict also adds to the page's review list and its journal.
    event.type === 'task_reviewed' ? <ReviewList reviews={state.reviews} oob /> : '',
    event.type === 'task_reviewed' ? <JournalListFragment decisions={state.decisions} tasks={tasks} /> : '',
  ])
  return parts.join('')
}

/** One-off renders from the rows as they are now (the streams share a view state per session instead: src/http/live). */
export function createLiveRenderer(deps: LiveRendererDeps): LiveRenderer {
  return {
    async render(event, viewer) {
      const state = await loadViewState(deps.db, event.session_id)
      return state ? renderLiveEvent(state, event, viewer, deps.clock().toISOString()) : ''
    },
  }
}

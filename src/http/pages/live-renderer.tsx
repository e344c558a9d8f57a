import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { SessionEvent } from '../../events/index.ts'
import { getSession, listDecisions } from '../../sessions/index.ts'
import {
  AgentCardFragment,
  JournalListFragment,
  LiveAnnouncement,
  roleLabel,
  SessionSummaryFragment,
  TaskStreamFragment,
  TimelineFragment,
} from '../../views/index.ts'
import { planView } from './plan-view.ts'
import { retryMarks, tasksWithDecisions } from './session-data.ts'
import { decisionView, sessionView } from './view-data.ts'

/** Who watches: owners and members see the complete/cancel buttons, viewers do not. */
export interface LiveViewer {
  can_control: boolean
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

const TASK_EVENTS = new Set(['task_started', 'task_completed', 'task_failed', 'task_retrying'])
const SESSION_EVENTS = new Set(['session_started', 'session_completed', 'session_failed', 'session_cancelled'])

const VERBS: Record<string, string> = {
  task_started: 'started',
  task_completed: 'completed',
  task_failed: 'failed',
  task_retrying: 'will retry',
}

function numberOf(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null
}

/** The HTML fragments for the live session page, with a small shared cache (one render per event per viewer kind). */
export function createLiveRenderer(deps: LiveRendererDeps): LiveRenderer {
  const cacheSize = deps.cacheSize ?? 256
  const cache = new Map<string, Promise<string>>()

  async function renderNow(event: SessionEvent, viewer: LiveViewer): Promise<string> {
    const now = deps.clock().toISOString()
    const row = await getSession(deps.db, event.session_id)
    if (!row) return ''
    const data = event.data

    if (event.type === 'decision_added') {
      const decisions = (await listDecisions(deps.db, row.id)).map(decisionView)
      return (await Promise.all([<JournalListFragment decisions={decisions} />, <LiveAnnouncement message="A decision was added to the journal." />])).join('')
    }

    const { views: tasks } = await tasksWithDecisions(deps.db, row.id)
    const plan = planView(row.plan, tasks.map((t) => t.agent_role))
    const session = sessionView(row)
    const byId = new Map(tasks.map((t) => [t.id, t]))

    if (event.type === 'task_progress') {
      const task = byId.get(numberOf(data.task_id) ?? -1)
      if (!task) return ''
      // Still streaming this attempt: replace the stream area with the whole analysis so far.
      if (task.status === 'running' && numberOf(data.attempt) === task.retry_count + 1) {
        return await (<TaskStreamFragment task_id={task.id} text={typeof data.analysis === 'string' ? data.analysis : ''} />)
      }
      // A stale progress report (the attempt ended since): the card as it is now.
      return await (<AgentCardFragment task={task} plan={plan} now={now} />)
    }

    let cards = tasks
    let announcement = ''
    if (TASK_EVENTS.has(event.type)) {
      const ids = new Set([numberOf(data.task_id), ...(Array.isArray(data.skipped_tasks) ? data.skipped_tasks.map(numberOf) : [])])
      cards = tasks.filter((t) => ids.has(t.id))
      const role = typeof data.agent_role === 'string' ? data.agent_role : (byId.get(numberOf(data.task_id) ?? -1)?.agent_role ?? 'agent')
      announcement = `${roleLabel(role)} ${VERBS[event.type] ?? 'changed'}.`
    } else if (SESSION_EVENTS.has(event.type)) {
      announcement = event.type === 'session_started' ? 'The session started.' : `The session ${row.status === 'active' ? 'is ending' : row.status}.`
    } else {
      return ''
    }
    const retries = await retryMarks(deps.db, row.id)
    const parts = await Promise.all([
      ...cards.map((t) => <AgentCardFragment task={t} plan={plan} now={now} />),
      <SessionSummaryFragment session={session} tasks={tasks} now={now} can_control={viewer.can_control} csrf_token={null} />,
      <TimelineFragment session={session} plan={plan} tasks={tasks} now={now} retries={retries} />,
      <LiveAnnouncement message={announcement} />,
    ])
    return parts.join('')
  }

  return {
    render(event, viewer) {
      const key = `${event.session_id}:${event.id}:${viewer.can_control ? 'c' : 'r'}`
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

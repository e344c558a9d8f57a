import { GanttChart, type GanttInput } from '../charts/index.ts'
import type { DecisionView, PlanView, SessionView, TaskView } from '../view-types.ts'
import { formatCount, formatUsd } from '../format.ts'
import { AgentCard, type AgentCardProps, agentStreamId, agentUsageId } from './agent-card.view.tsx'
import { JournalList } from './decision-journal.view.tsx'
import { SessionSummary, type SessionSummaryProps } from './session-summary.view.tsx'

/**
 * Fragments for the live session page, one per region, each replacing exactly the element it is
 * about (out-of-band by id, or an `<hx-partial>`). Send any mix of them in one SSE or WS message.
 */

/** A task's card, replacing `#task-<id>`. */
export function AgentCardFragment(props: Omit<AgentCardProps, 'oob'>): JSX.Element {
  return <AgentCard {...props} oob />
}

/**
 * The analysis a running agent has streamed so far, replacing its card's stream area. `text` is the
 * whole analysis (not a delta), so a repeated or replayed message leaves the card the same.
 */
export function TaskStreamFragment(props: { task_id: number; text: string }): JSX.Element {
  return (
    <hx-partial hx-target={`#${agentStreamId(props.task_id)}`} hx-swap="innerHTML">
      <span safe>{props.text}</span>
    </hx-partial>
  )
}

/** A running task's tokens and cost so far (from its latest progress event). */
export function TaskUsageFragment(props: { task_id: number; output_tokens: number; cost_usd: number | null }): JSX.Element {
  const cost = props.cost_usd === null ? 'price unknown' : `${formatUsd(props.cost_usd)} so far`
  return (
    <hx-partial hx-target={`#${agentUsageId(props.task_id)}`} hx-swap="innerHTML">
      <span safe>{`≈ ${formatCount(props.output_tokens)} output tokens · ${cost}`}</span>
    </hx-partial>
  )
}

/** The DOM id of the timeline chart container. */
export const TIMELINE_ID = 'timeline-chart'

/** Props of {@link Timeline}. */
export interface TimelineProps {
  session: SessionView
  plan: PlanView
  tasks: TaskView[]
  now: string
  retries?: GanttInput['retries']
  cursor_at?: string | null
  oob?: boolean
}

/** The session's Gantt chart in its replaceable container. */
export function Timeline(props: TimelineProps): JSX.Element {
  return (
    <div id={TIMELINE_ID} hx-swap-oob={props.oob ? 'true' : undefined}>
      <GanttChart
        id="gantt"
        hide_title
        stages={props.plan.stages}
        tasks={props.tasks}
        session_started_at={props.session.started_at}
        session_ended_at={props.session.ended_at}
        now={props.now}
        retries={props.retries}
        cursor_at={props.cursor_at}
      />
    </div>
  )
}

/** The timeline, replacing `#timeline-chart`. */
export function TimelineFragment(props: Omit<TimelineProps, 'oob'>): JSX.Element {
  return <Timeline {...props} oob />
}

/** The status block, replacing `#session-summary` (status, progress, buttons). */
export function SessionSummaryFragment(props: Omit<SessionSummaryProps, 'oob'>): JSX.Element {
  return <SessionSummary {...props} oob />
}

/** The decision journal list, replacing `#journal-list`. */
export function JournalListFragment(props: { decisions: DecisionView[]; tasks?: readonly TaskView[] }): JSX.Element {
  return <JournalList decisions={props.decisions} tasks={props.tasks} oob />
}

/** The DOM id of the visually hidden polite live region. */
export const ANNOUNCER_ID = 'live-announcer'

/** A sentence for screen readers ("Backend Developer completed"), replacing the announcer's text. */
export function LiveAnnouncement(props: { message: string; oob?: boolean }): JSX.Element {
  return (
    <p id={ANNOUNCER_ID} class="sr-only" aria-live="polite" role="status" hx-swap-oob={props.oob === false ? undefined : 'true'} safe>
      {props.message}
    </p>
  )
}

import { EmptyState, PageHeader, StatusBadge } from '../components/index.ts'
import { elapsedSeconds, formatOffset, humanize, roleOrder } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import { AgentCard, planWithOutcomes, Timeline } from '../session/index.ts'
import type { PageContext, PlanView, SessionEventView, SessionView, TaskView, TeamView } from '../view-types.ts'
import { describeEvent } from './event-description.ts'

/** Props of {@link ReplayPage}. */
export interface ReplayPageProps {
  ctx: PageContext
  team: TeamView
  session: SessionView
  plan: PlanView
  /** The tasks as they were right after event `step` (the route folds the events). */
  tasks: TaskView[]
  events: SessionEventView[]
  /** Index into `events` of the replay position (clamped). */
  step: number
  /** Playing: the page moves on one event a second (htmx polling; a meta refresh without JavaScript). */
  playing?: boolean
  now: string
}

/** One line of the event log: an event, or a run of one agent's consecutive progress reports folded together. */
interface LogLine {
  first: number
  last: number
  event: SessionEventView
}

/** Folds consecutive `task_progress` events of the same task into one line (the run's last event stands for it). */
export function foldEventLog(events: readonly SessionEventView[]): LogLine[] {
  const lines: LogLine[] = []
  events.forEach((event, i) => {
    const prev = lines.at(-1)
    const sameRun =
      prev !== undefined &&
      event.type === 'task_progress' &&
      prev.event.type === 'task_progress' &&
      (prev.event.data as { task_id?: number }).task_id === (event.data as { task_id?: number }).task_id
    if (sameRun) {
      prev.last = i
      prev.event = event
    } else lines.push({ first: i, last: i, event })
  })
  return lines
}

/**
 * The replay of a session, from its first event: a step control (first, previous, play or pause,
 * next, last — plain links, so the back button steps back too), the timeline with a cursor at the
 * current event, the cards as they were then, and the event log with the current event marked
 * (an agent's consecutive progress reports folded into one line). Playing, the replay region asks
 * for the next event's page every second (htmx polling, no script of ours) and swaps itself; without
 * JavaScript a meta refresh does the same.
 */
export function ReplayPage(props: ReplayPageProps): JSX.Element {
  const { session, events } = props
  const last = events.length - 1
  const step = Math.min(Math.max(0, props.step), Math.max(0, last))
  const current = events[step]
  const start = session.started_at ?? events[0]?.at ?? session.created_at
  const tasks = [...props.tasks].sort((a, b) => roleOrder(a.agent_role) - roleOrder(b.agent_role))
  // Skipped cards name the failed agent, as on the live page.
  const cardPlan = planWithOutcomes(props.plan, tasks)
  const playing = (props.playing ?? false) && step < last
  const next = playing ? paths.sessionReplayPlaying(session.id, step + 1) : null
  const stepLink = (n: number, label: string, rel: string): JSX.Element =>
    n === step || n < 0 || n > last ? (
      <span class="btn btn-secondary btn-disabled" aria-disabled="true" safe>
        {label}
      </span>
    ) : (
      <a href={paths.sessionReplay(session.id, n)} class="btn btn-secondary" rel={rel} safe>
        {label}
      </a>
    )
  return (
    <Layout title={`Replay: ${session.feature_name}`} ctx={props.ctx} wide noscript_refresh={next ? { seconds: 1, url: next } : undefined}>
      <PageHeader title={`Replay: ${session.feature_name}`} eyebrow={props.team.name} eyebrowHref={paths.team(props.team.id)}>
        <StatusBadge status={session.status} />
        <a href={paths.session(session.id)} class="btn btn-secondary">
          Back to session
        </a>
      </PageHeader>
      {events.length === 0 ? (
        <EmptyState title="Nothing to replay" message="This session has no recorded events yet." level={2} />
      ) : (
        <div id="replay" {...(next ? { 'hx-get': next, 'hx-trigger': 'every 1s', 'hx-select': '#replay', 'hx-swap': 'outerHTML' } : {})}>
          <nav class="replay-controls" aria-label="Replay steps">
            {stepLink(0, 'First', 'first')}
            {stepLink(step - 1, 'Previous', 'prev')}
            {playing ? (
              <a href={paths.sessionReplay(session.id, step)} class="btn btn-primary">
                Pause
              </a>
            ) : (
              <a href={paths.sessionReplayPlaying(session.id, step < last ? step + 1 : 0)} class="btn btn-primary">
                {step < last ? 'Play' : 'Play again'}
              </a>
            )}
            <p class="replay-position" aria-live="polite" safe>
              {`Event ${step + 1} of ${events.length} · +${formatOffset(elapsedSeconds(start, current?.at ?? null, props.now) ?? 0)}`}
            </p>
            {stepLink(step + 1, 'Next', 'next')}
            {stepLink(last, 'Last', 'last')}
          </nav>
          <div class="two-col two-col-wide-left">
            <section aria-labelledby="replay-timeline" class="panel">
              <h2 id="replay-timeline" class="section-title">
                Timeline
              </h2>
              <Timeline session={session} plan={props.plan} tasks={props.tasks} now={current?.at ?? props.now} cursor_at={current?.at ?? null} />
            </section>
            <section aria-labelledby="replay-log" class="panel">
              <h2 id="replay-log" class="section-title">
                Event log
              </h2>
              <ol class="event-log">
                {foldEventLog(events).map(({ first, last: end, event: e }) => {
                  const here = step >= first && step <= end
                  const folded = end > first ? ` (${end - first + 1} progress reports)` : ''
                  return (
                    <li class={['event-item', here ? 'event-current' : first > step ? 'event-future' : '']} aria-current={here ? 'step' : undefined}>
                      <a href={paths.sessionReplay(session.id, end)}>
                        <span class="event-time" safe>
                          {`+${formatOffset(elapsedSeconds(start, e.at, props.now) ?? 0)}`}
                        </span>
                        <span class="event-type" safe>
                          {humanize(e.type)}
                        </span>
                        <span class="event-text" safe>
                          {`${describeEvent(e, props.tasks)}${folded}`}
                        </span>
                      </a>
                    </li>
                  )
                })}
              </ol>
            </section>
          </div>
          <section aria-labelledby="replay-agents" class="section">
            <h2 id="replay-agents" class="section-title">
              Agents at this point
            </h2>
            <ol class="agent-grid">
              {tasks.map((t) => (
                <AgentCard task={t} plan={cardPlan} now={current?.at ?? props.now} />
              ))}
            </ol>
          </section>
        </div>
      )}
    </Layout>
  )
}

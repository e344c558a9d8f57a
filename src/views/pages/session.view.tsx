import { PageHeader, SimulatedBanner } from '../components/index.ts'
import { roleOrder } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import {
  AgentCard,
  BudgetPanel,
  type BudgetPanelProps,
  DecisionForm,
  FindingsSection,
  type FindingView,
  ForkCsrfFields,
  JournalList,
  LiveAnnouncement,
  ReviewList,
  type ReviewView,
  SessionLineage,
  type SessionLineageProps,
  SessionSummary,
  Timeline,
  planWithOutcomes,
} from '../session/index.ts'
import type { DecisionView, FieldErrors, FormValues, PageContext, PlanView, SessionView, TaskView, TeamView } from '../view-types.ts'

/** Props of {@link SessionPage}. */
export interface SessionPageProps {
  ctx: PageContext
  team: TeamView
  session: SessionView
  /** The plan's stages and dependencies (computed by the route from the orchestrator's plan). */
  plan: PlanView
  tasks: TaskView[]
  decisions: DecisionView[]
  /** The id of the last event this render reflects: the live stream starts right after it. */
  last_event_id?: number
  /** Render time: elapsed times and the right edge of the timeline. */
  now: string
  /** `sse` (default) connects to `/sessions/:id/stream`; `ws` to `/ws/sessions/:id`. */
  transport?: 'sse' | 'ws'
  /** Streamed text of running tasks, by task id. */
  streamed?: Record<number, string>
  retries?: { task_id: number; at: string }[]
  decision_form?: { values?: FormValues; errors?: FieldErrors }
  /** The cross-role consistency findings (issue 18). */
  findings?: FindingView[]
  /** The verdicts on the session's tasks, oldest first. */
  reviews?: ReviewView[]
  /** Its parent and its forks (see SessionLineage). */
  lineage?: Omit<SessionLineageProps, 'session_id'>
  /** The username of who started the session; absent: the viewer's when they did, else not shown. */
  started_by?: string | null
  /** The budget panel (spent, reserved, the owner's raise form); absent: not shown. */
  budget?: Omit<BudgetPanelProps, 'oob'>
}

/** The id of the element holding the live connection. */
export const LIVE_CONNECTION_ID = 'session-live'

/**
 * The live session page: summary with complete/cancel, seven agent cards, the timeline and the
 * decision journal. While the session is active one element holds the SSE (or WS) connection; every
 * message carries out-of-band fragments that replace exactly the element they are about.
 */
export function SessionPage(props: SessionPageProps): JSX.Element {
  const { session, team } = props
  const canWrite = team.role === 'owner' || team.role === 'member'
  const tasks = [...props.tasks].sort((a, b) => roleOrder(a.agent_role) - roleOrder(b.agent_role))
  const live = session.status === 'active'
  // Skipped cards name the failed agent they waited for; the summary lists who was skipped for whom.
  const plan = planWithOutcomes(props.plan, tasks)
  const startedBy = props.started_by ?? (props.ctx.user && props.ctx.user.id === session.user_id ? props.ctx.user.username : null)
  return (
    <Layout
      title={session.feature_name}
      ctx={props.ctx}
      wide
      // Without JavaScript nothing streams: while the session runs, reload every 5 s to stay current.
      // Not while the viewer has a verdict to give: a reload would lose the comment being typed.
      noscript_refresh={session.status === 'active' && !(canWrite && tasks.some((t) => t.status === 'awaiting_review')) ? { seconds: 5 } : undefined}
    >
      <PageHeader title={session.feature_name} subtitle={session.description || null} eyebrow={team.name} eyebrowHref={paths.team(team.id)}>
        <a href={paths.sessionDocument(session.id)} class="btn btn-primary">
          Design document
        </a>
        <a href={paths.sessionReplay(session.id)} class="btn btn-secondary">
          Replay
        </a>
      </PageHeader>
      {startedBy ? (
        <p class="session-byline">
          Started by <span class="font-semibold session-starter" safe>{startedBy}</span>
        </p>
      ) : (
        ''
      )}
      <SimulatedBanner models={tasks.map((t) => t.model)} />
      {live ? <LiveConnection session_id={session.id} transport={props.transport ?? 'sse'} after={props.last_event_id ?? 0} /> : ''}
      <LiveAnnouncement message="" oob={false} />
      <SessionSummary
        session={session}
        tasks={tasks}
        now={props.now}
        can_control={canWrite}
        csrf_token={props.ctx.csrf_token}
        plan={plan}
      />
      {props.lineage ? <SessionLineage session_id={session.id} {...props.lineage} /> : ''}
      {props.budget ? <BudgetPanel {...props.budget} /> : ''}
      <section aria-labelledby="agents-title" class="section">
        <h2 id="agents-title" class="section-title">
          Agents
        </h2>
        <ol class="agent-grid">
          {tasks.map((t) => (
            <AgentCard
              task={t}
              plan={plan}
              now={props.now}
              streamed_text={props.streamed?.[t.id]}
              can_review={canWrite}
              csrf_token={props.ctx.csrf_token}
              fork={canWrite && !live ? { session_id: session.id } : undefined}
            />
          ))}
        </ol>
        {canWrite && !live ? <ForkCsrfFields task_ids={tasks.map((t) => t.id)} csrf_token={props.ctx.csrf_token} /> : ''}
      </section>
      <div class="two-col two-col-wide-left">
        <section aria-labelledby="timeline-title" class="panel">
          <h2 id="timeline-title" class="section-title">
            Timeline
          </h2>
          <Timeline session={session} plan={plan} tasks={tasks} now={props.now} retries={props.retries} />
        </section>
        <section aria-labelledby="journal-title" class="panel">
          <h2 id="journal-title" class="section-title">
            Decision journal
          </h2>
          <JournalList decisions={props.decisions} tasks={tasks} />
          {canWrite ? (
            <DecisionForm
              session_id={session.id}
              csrf_token={props.ctx.csrf_token}
              values={props.decision_form?.values}
              errors={props.decision_form?.errors}
            />
          ) : (
            ''
          )}
        </section>
      </div>
      <FindingsSection session_id={session.id} score={session.consistency_score ?? null} findings={props.findings ?? []} can_act={canWrite} can_fork={!live} csrf_token={props.ctx.csrf_token} />
      <ReviewList reviews={props.reviews ?? []} />
    </Layout>
  )
}

/**
 * The element holding the live connection. It swaps nothing itself (`hx-swap="none"`): each message
 * carries out-of-band fragments. A named `done` event closes an SSE stream for good.
 */
function LiveConnection(props: { session_id: number; transport: 'sse' | 'ws'; after: number }): JSX.Element {
  // `after` skips the events this render already shows; a reconnect resumes from Last-Event-ID instead.
  return props.transport === 'ws' ? (
    <div id={LIVE_CONNECTION_ID} hx-ws:connect={`${paths.sessionSocket(props.session_id)}?after=${props.after}`} hx-swap="none"></div>
  ) : (
    <div
      id={LIVE_CONNECTION_ID}
      hx-sse:connect={`${paths.sessionStream(props.session_id)}?after=${props.after}`}
      hx-sse:close="done"
      hx-swap="none"
    ></div>
  )
}

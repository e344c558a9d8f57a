import { blocksSummary, roleBlocks } from '../document/role-blocks.ts'
import { ConfidenceBadge, Spinner, StatusBadge } from '../components/index.ts'
import { elapsedSeconds, formatCount, formatConfidence, formatDuration, formatUsd, roleLabel } from '../format.ts'
import { Markdown } from '../markdown/index.ts'
import { paths } from '../paths.ts'
import type { PlanView, TaskView } from '../view-types.ts'
import { AgentDecisionItem, taskDecisions } from './agent-decision.view.tsx'
import { readAgentOutput } from './agent-output.ts'
import { ReviewForms } from './review-forms.view.tsx'
import { ForkForm } from './fork-form.view.tsx'

/** Props of {@link AgentCard}. */
export interface AgentCardProps {
  task: TaskView
  /** The session's plan stages and who waits for whom (a pending card says whom it waits for). */
  plan: PlanView
  /** Render time, for the elapsed time of a running task. */
  now: string
  /** Text the agent has streamed so far while running. */
  streamed_text?: string
  /** Mark the card for an out-of-band swap (live fragments). */
  oob?: boolean
  /** The viewer may give verdicts (owners and members): a card awaiting review shows the forms. */
  can_review?: boolean
  /** The CSRF field of plain forms; null in live fragments (htmx sends the header). */
  csrf_token?: string | null
  /** On an ended session, for those who may start sessions: the "Fork from here" form. */
  fork?: { session_id: number } | undefined
}

/** The DOM id of a task's card; live fragments replace exactly this element. */
export function agentCardId(taskId: number): string {
  return `task-${taskId}`
}

/** The DOM id of the line showing a running task's tokens and cost so far. */
export function agentUsageId(taskId: number): string {
  return `task-${taskId}-usage`
}

/** The DOM id of the area a running task streams its analysis into. */
export function agentStreamId(taskId: number): string {
  return `task-${taskId}-stream`
}

function initials(role: string): string {
  return roleLabel(role)
    .split(/[\s/]+/)
    .map((w) => w.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase()
}

/**
 * One agent's card: role, status, elapsed time, then by status the streaming analysis, the
 * result (analysis, decisions, concerns, confidence, role fields, tokens) or the failure.
 */
export function AgentCard(props: AgentCardProps): JSX.Element {
  const { task } = props
  const id = agentCardId(task.id)
  // Only a running task's time depends on the clock; an ended one shows a fixed duration, so a card
  // rendered live and the same card on a fresh page load are identical.
  const elapsed =
    task.status === 'running' ? elapsedSeconds(task.started_at, null, props.now) : task.completed_at ? elapsedSeconds(task.started_at, task.completed_at, props.now) : null
  const label = roleLabel(task.agent_role)
  return (
    <li
      id={id}
      class={['agent-card', `agent-card-${task.status}`]}
      hx-swap-oob={props.oob ? 'true' : undefined}
      data-status={task.status}
    >
      <article aria-labelledby={`${id}-title`}>
        <header class="agent-card-head">
          <span class="agent-avatar" aria-hidden="true" safe>
            {initials(task.agent_role)}
          </span>
          <div class="min-w-0 flex-1">
            <h3 id={`${id}-title`} class="agent-title" safe>
              {label}
            </h3>
            <p class="agent-subtitle" safe>
              {[task.model, stageText(props.plan, task.agent_role), task.retry_count > 0 ? `retry ${task.retry_count}` : null, task.reused_from_task_id ? 'copied from the parent' : null]
                .filter(Boolean)
                .join(' · ')}
            </p>
          </div>
          <StatusBadge status={task.status} />
        </header>
        <dl class="agent-meta">
          <div>
            <dt>{task.status === 'running' ? 'Elapsed' : 'Duration'}</dt>
            <dd safe>{formatDuration(task.duration_seconds ?? elapsed)}</dd>
          </div>
          <div>
            <dt>Tokens</dt>
            <dd>
              <span safe>{formatCount(task.input_tokens)}</span>
              <span class="sr-only"> in, </span>
              <span aria-hidden="true"> / </span>
              <span safe>{formatCount(task.output_tokens)}</span>
              <span class="sr-only"> out</span>
            </dd>
          </div>
          {task.cost_usd !== null && task.cost_usd !== undefined ? (
            <div>
              <dt>Cost</dt>
              <dd safe>{formatUsd(task.cost_usd)}</dd>
            </div>
          ) : task.status === 'completed' && task.model ? (
            <div>
              <dt>Cost</dt>
              <dd title="This model has no price: set MODEL_PRICES to count it.">price unknown</dd>
            </div>
          ) : (
            ''
          )}
        </dl>
        <CardBody {...props} />
        {task.status === 'awaiting_review' && props.can_review ? (
          <ReviewForms task_id={task.id} agent_role={task.agent_role} csrf_token={props.csrf_token ?? null} />
        ) : (
          ''
        )}
        {task.status === 'completed' || task.status === 'failed' || task.status === 'awaiting_review' ? (
          <p class="agent-card-foot">
            <a href={paths.task(task.id)}>
              Inspect snapshot<span class="sr-only" safe>{` of ${label}`}</span>
            </a>
          </p>
        ) : (
          ''
        )}
        {props.fork ? <ForkForm session_id={props.fork.session_id} task_id={task.id} agent_role={task.agent_role} /> : ''}
      </article>
    </li>
  )
}

/** `Stage 2 of 4`, or null when the plan has one stage. */
function stageText(plan: PlanView, role: string): string | null {
  const i = plan.stages.findIndex((s) => s.includes(role))
  return i === -1 || plan.stages.length < 2 ? null : `Stage ${i + 1} of ${plan.stages.length}`
}

/** `A`, `A and B`, `A, B and C`. */
function listText(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

function CardBody(props: AgentCardProps): JSX.Element {
  const { task } = props
  switch (task.status) {
    case 'pending': {
      const waits = (props.plan.waits_for[task.agent_role] ?? []).map(roleLabel)
      const stage = props.plan.stages.findIndex((s) => s.includes(task.agent_role)) + 1
      const note = waits.length ? `Waiting for ${listText(waits)} (stage ${stage}).` : 'Queued to start.'
      return (
        <p class="agent-note" safe>
          {note}
        </p>
      )
    }
    case 'running':
      return (
        <div class="agent-stream-wrap">
          <Spinner label="Analysing…" />
          <p id={agentUsageId(task.id)} class="agent-note" aria-live="off"></p>
          <div id={agentStreamId(task.id)} class="agent-stream" aria-live="off">
            {props.streamed_text ? <span safe>{props.streamed_text}</span> : ''}
          </div>
        </div>
      )
    case 'failed':
      return <FailedBody {...props} />
    case 'skipped': {
      const blockers = (props.plan.blocked_by?.[task.agent_role] ?? []).map(roleLabel)
      const note = blockers.length ? `Skipped: ${listText(blockers)} failed.` : 'Skipped: an agent it depends on did not finish.'
      return (
        <p class="agent-note agent-skip-cause" safe>
          {note}
        </p>
      )
    }
    case 'cancelled':
      return <p class="agent-note">Cancelled before it finished.</p>
    default:
      return <AgentResult task={task} />
  }
}

/** A failed task: after how many attempts, its last error, and the next step the viewer may take. */
function FailedBody(props: AgentCardProps): JSX.Element {
  const { task } = props
  const attempts = task.retry_count + 1
  let next: JSX.Element = ''
  if (props.fork) {
    next = (
      <p class="agent-next">
        Next step: <a href="#session-failure">resume the session</a> to run it again, or fork from here to change its brief first.
      </p>
    )
  } else if (props.can_review) {
    next = <p class="agent-next">The session carries on with the agents that do not need it; once it ends you can resume it or fork from here.</p>
  }
  return (
    <div class="agent-failure" role="note">
      <p class="font-semibold">{attempts > 1 ? <span safe>{`Failed after ${attempts} attempts`}</span> : 'Failed on its first attempt'}</p>
      <p class="agent-error">
        <span class="sr-only">Last error: </span>
        <span safe>{task.error_message ?? 'No error message was recorded.'}</span>
      </p>
      {next}
    </div>
  )
}

/** A completed task's result. */
function AgentResult(props: { task: TaskView }): JSX.Element {
  const out = readAgentOutput(props.task.output_data)
  const decisions = taskDecisions(props.task, out)
  const id = agentCardId(props.task.id)
  return (
    <div class="agent-result">
      {out.confidence !== null ? (
        <div class="agent-confidence">
          <label for={`${id}-confidence`}>Confidence</label>
          <meter id={`${id}-confidence`} min="0" max="1" low="0.5" high="0.75" optimum="1" value={String(out.confidence)} safe>
            {formatConfidence(null, out.confidence)}
          </meter>
          <ConfidenceBadge confidence={null} score={out.confidence} />
        </div>
      ) : (
        ''
      )}
      {out.analysis ? <Markdown text={out.analysis} class="agent-analysis" /> : ''}
      {out.approach ? (
        <>
          <h4 class="agent-section-title">Approach</h4>
          <Markdown text={out.approach} />
        </>
      ) : (
        ''
      )}
      {decisions.length ? (
        <>
          <h4 class="agent-section-title">Decisions</h4>
          <ul class="agent-decisions">
            {decisions.map((d) => (
              <AgentDecisionItem decision={d} />
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {out.concerns.length ? (
        <>
          <h4 class="agent-section-title">Concerns</h4>
          <ul class="agent-concerns">
            {out.concerns.map((c) => (
              <li safe>{c}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      <RoleFieldsSummary task={props.task} />
    </div>
  )
}

/** A one-line-per-field summary of the role's own output, linking to its section of the design document. */
function RoleFieldsSummary(props: { task: TaskView }): JSX.Element {
  const lines = blocksSummary(roleBlocks(props.task.output_data))
  if (lines.length === 0) return ''
  const label = roleLabel(props.task.agent_role)
  return (
    <div class="agent-role-fields">
      <h4 class="agent-section-title" safe>{`${label} output`}</h4>
      <ul class="agent-field-summary">
        {lines.map((line) => (
          <li safe>{line}</li>
        ))}
      </ul>
      <a href={paths.sessionDocumentRole(props.task.session_id, props.task.agent_role)} class="agent-doc-link">
        Read it in the design document<span class="sr-only" safe>{`: ${label}`}</span>
      </a>
    </div>
  )
}

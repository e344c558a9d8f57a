import { Button, ConfirmForm, StatusBadge, TimeText } from '../components/index.ts'
import { elapsedSeconds, formatDuration, formatTokensInOut, formatUsd, planLabel } from '../format.ts'
import { paths } from '../paths.ts'
import type { PlanView, SessionView, TaskView } from '../view-types.ts'
import { AwaitingReviewBadge, ResumeForm } from './review-summary.view.tsx'
import { SessionFailure } from './session-failure.view.tsx'
import { SessionProgressBar } from './session-progress.view.tsx'

/** Props of {@link SessionSummary}. */
export interface SessionSummaryProps {
  session: SessionView
  tasks: TaskView[]
  now: string
  /** Whether the viewer may complete or cancel the session (owners and members). */
  can_control: boolean
  csrf_token: string | null
  /** The plan (who waits for whom): a failed session names the agents skipped because of each failure. */
  plan?: PlanView
  oob?: boolean
}

/** The DOM id of the summary block, replaced whole by live fragments. */
export const SESSION_SUMMARY_ID = 'session-summary'

/**
 * Status, progress by status, timing and (while active, for those allowed) the
 * complete/cancel buttons; once it failed or was cancelled, why, and what to do next.
 */
export function SessionSummary(props: SessionSummaryProps): JSX.Element {
  const { session } = props
  const elapsed = session.duration_seconds ?? elapsedSeconds(session.started_at, session.ended_at, props.now)
  // The session's totals are its tasks' (API.md), so the summary adds up the cards it sits above.
  const tokensIn = props.tasks.reduce((sum, t) => sum + t.input_tokens, 0)
  const tokensOut = props.tasks.reduce((sum, t) => sum + t.output_tokens, 0)
  const priced = props.tasks.filter((t) => t.cost_usd !== null && t.cost_usd !== undefined)
  const cost = priced.length ? priced.reduce((sum, t) => sum + (t.cost_usd ?? 0), 0) : null
  return (
    <section
      id={SESSION_SUMMARY_ID}
      class="session-summary"
      aria-label="Session status"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <dl class="summary-grid">
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={session.status} id="session-status" /> <AwaitingReviewBadge tasks={props.tasks} />
          </dd>
        </div>
        <div>
          <dt>Plan</dt>
          <dd safe>{planLabel(session.plan)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <TimeText iso={session.started_at} />
          </dd>
        </div>
        <div>
          <dt>{session.status === 'active' ? 'Elapsed' : 'Duration'}</dt>
          <dd safe>{formatDuration(elapsed)}</dd>
        </div>
        <div>
          <dt>Tokens</dt>
          <dd safe>{formatTokensInOut(tokensIn, tokensOut)}</dd>
        </div>
        <div>
          <dt>Cost</dt>
          <dd safe>{formatUsd(cost)}</dd>
        </div>
      </dl>
      <SessionProgressBar id="session-progress" tasks={props.tasks} />
      {props.can_control && session.status === 'active' ? (
        <div class="summary-actions">
          <ConfirmForm
            action={paths.sessionComplete(session.id)}
            csrf_token={props.csrf_token}
            confirm="End this session now? Agents still working are cancelled."
          >
            <Button variant="secondary">Complete session</Button>
          </ConfirmForm>
          <ConfirmForm action={paths.sessionCancel(session.id)} csrf_token={props.csrf_token} confirm="Cancel this session? Running agents stop.">
            <Button variant="danger">Cancel session</Button>
          </ConfirmForm>
        </div>
      ) : (
        ''
      )}
      {session.status === 'failed' || session.status === 'cancelled' ? (
        <SessionFailure session={session} tasks={props.tasks} plan={props.plan} can_control={props.can_control}>
          <ResumeForm session={session} can_control={props.can_control} csrf_token={props.csrf_token} />
        </SessionFailure>
      ) : (
        <ResumeForm session={session} can_control={props.can_control} csrf_token={props.csrf_token} />
      )}
    </section>
  )
}

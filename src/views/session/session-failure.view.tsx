import type { PropsWithChildren } from '@kitajs/html'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'
import type { PlanView, SessionView, TaskView } from '../view-types.ts'
import { agentCardId } from './agent-card.view.tsx'
import { failedAgents } from './session-failure.ts'

/** `A`, `A and B`, `A, B and C`. */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** `after 3 attempts`, or `on its only attempt`. */
export function attemptsText(attempts: number): string {
  return attempts <= 1 ? 'on its first attempt' : `after ${attempts} attempts`
}

/** Props of {@link SessionFailure}. */
export interface SessionFailureProps {
  session: SessionView
  tasks: TaskView[]
  /** Who waits for whom; without it the skipped agents are not attributed to a failure. */
  plan?: PlanView | undefined
  /** Owners and members may resume, fork and start again; viewers are told who can. */
  can_control: boolean
}

/**
 * Why a failed (or cancelled) session stopped: each failed agent with its attempts, its last error
 * and the agents skipped because of it; then the next steps the viewer may take: the children
 * (the resume form), forking from the failed agent's card, or starting again with the same brief.
 */
export function SessionFailure(props: PropsWithChildren<SessionFailureProps>): JSX.Element {
  const { session } = props
  const failed = failedAgents(props.plan ?? { stages: [], waits_for: {} }, props.tasks)
  const unfinished = props.tasks.filter((t) => t.status !== 'completed').length
  const title = session.status === 'failed' ? 'Why it failed' : 'Why it stopped'
  return (
    <div id="session-failure" class="session-failure" aria-labelledby="session-failure-title">
      <h3 id="session-failure-title" class="session-failure-title">
        {title}
      </h3>
      {failed.length > 0 ? (
        <ul class="session-failure-list">
          {failed.map((f) => (
            <li data-role={f.agent_role}>
              <p>
                <a href={`#${agentCardId(f.task_id)}`} class="font-semibold" safe>
                  {roleLabel(f.agent_role)}
                </a>
                <span safe>{` failed ${attemptsText(f.attempts)}.`}</span>
              </p>
              <p class="agent-error">
                <span class="font-semibold">Last error: </span>
                <span safe>{f.error ?? 'no error message was recorded.'}</span>
              </p>
              {f.skipped.length > 0 ? (
                <p class="session-failure-skipped" safe>
                  {`Skipped because of it: ${listText(f.skipped.map(roleLabel))}.`}
                </p>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      ) : session.status === 'cancelled' ? (
        <p>{unfinished > 0 ? `It was cancelled with ${unfinished} of ${props.tasks.length} agents unfinished.` : 'It was cancelled after every agent had finished.'}</p>
      ) : (
        <p>No agent failed: the session itself stopped. The timeline shows where.</p>
      )}
      <h3 class="session-failure-title">Next step</h3>
      {props.can_control ? (
        <>
          <p class="session-failure-hint">
            Resume runs the failed, skipped and cancelled agents again and keeps the completed ones. Fork from a card to change that agent's brief first, or
            start a new session with the same brief.
          </p>
          <div class="summary-actions session-next-steps">
            {props.children}
            {failed.map((f) => (
              <a href={`#${agentCardId(f.task_id)}`} class="btn btn-secondary" safe>
                {`Fork from ${roleLabel(f.agent_role)}`}
              </a>
            ))}
            <a href={paths.teamStartAgain(session.team_id, session.id)} class="btn btn-secondary">
              Start again with the same brief
            </a>
          </div>
        </>
      ) : (
        <p class="session-failure-hint">Owners and members of the team can resume it, fork it or start it again with the same brief.</p>
      )}
    </div>
  )
}

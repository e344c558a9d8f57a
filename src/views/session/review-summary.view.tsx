import { Button, ConfirmForm } from '../components/index.ts'
import { paths } from '../paths.ts'
import type { SessionView, TaskView } from '../view-types.ts'

/** "N awaiting review" beside the session's status, while any of its tasks waits for a verdict. */
export function AwaitingReviewBadge(props: { tasks: TaskView[] }): JSX.Element {
  const waiting = props.tasks.filter((t) => t.status === 'awaiting_review')
  const n = waiting.length
  if (n === 0) return ''
  return (
    <a href={`#task-${waiting[0]?.id}`} class="badge badge-awaiting_review" safe>
      {`${n} awaiting review`}
    </a>
  )
}

/** Resume, on a failed or cancelled session, for those who may (owners and members). */
export function ResumeForm(props: { session: SessionView; can_control: boolean; csrf_token: string | null }): JSX.Element {
  const { session } = props
  if (!props.can_control || (session.status !== 'failed' && session.status !== 'cancelled')) return ''
  return (
    <div class="summary-actions">
      <ConfirmForm
        action={paths.sessionResume(session.id)}
        csrf_token={props.csrf_token}
        confirm="Resume this session? Its failed, skipped and cancelled agents run again; completed ones are kept."
      >
        <Button variant="primary">Resume session</Button>
      </ConfirmForm>
    </div>
  )
}

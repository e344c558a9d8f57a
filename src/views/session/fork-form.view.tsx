import { Button, CsrfField, TextArea } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'

/** Props of {@link ForkForm}. */
export interface ForkFormProps {
  session_id: number
  task_id: number
  agent_role: string
  /** The login's CSRF token; null in live fragments (htmx sends the header). */
  csrf_token: string | null
}

/**
 * "Fork from here" on an ended session's card: a feedback box and a button. Without JavaScript it
 * posts and the server redirects to the new session; inside the page's boosted main, htmx follows.
 */
export function ForkForm(props: ForkFormProps): JSX.Element {
  const label = roleLabel(props.agent_role)
  const id = `fork-${props.task_id}`
  return (
    <details class="fork-form mt-3 border-t border-slate-200 pt-3">
      <summary class="cursor-pointer text-sm font-medium text-slate-700">
        Fork from here<span class="sr-only" safe>{` (${label})`}</span>
      </summary>
      <form method="post" action={paths.sessionFork(props.session_id)} class="mt-2 space-y-2" hx-disable="find button">
        <CsrfField token={props.csrf_token} />
        <input type="hidden" name="from_role" value={props.agent_role} />
        <TextArea
          id={`${id}-feedback`}
          name="feedback"
          label={`What should the ${label} change?`}
          rows={3}
          maxlength={4000}
          hint="Optional. This role and every role after it run again; the others are copied."
        />
        <Button variant="secondary" class="btn-small">
          Fork session
        </Button>
      </form>
    </details>
  )
}

import { Button, TextArea } from '../components/index.ts'
import { CSRF_FIELD } from '../form-fields.ts'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'

/** Props of {@link ForkForm}. */
export interface ForkFormProps {
  session_id: number
  task_id: number
  agent_role: string
}

/** The id of a card's fork form (its CSRF field, outside the card, points at it). */
export function forkFormId(taskId: number): string {
  return `fork-form-${taskId}`
}

/**
 * "Fork from here" on an ended session's card: a feedback box and a button. Without JavaScript it
 * posts and the server redirects to the new session; inside the page's boosted main, htmx follows.
 * The card holds no token, so a card rendered live is the same as on a page load: the page renders
 * the forms' CSRF fields apart ({@link ForkCsrfFields}), and htmx sends the header.
 */
export function ForkForm(props: ForkFormProps): JSX.Element {
  const label = roleLabel(props.agent_role)
  const id = `fork-${props.task_id}`
  return (
    <details class="fork-form mt-3 border-t border-slate-200 pt-3">
      <summary class="cursor-pointer text-sm font-medium text-slate-700">
        Fork from here<span class="sr-only" safe>{` (${label})`}</span>
      </summary>
      <form id={forkFormId(props.task_id)} method="post" action={paths.sessionFork(props.session_id)} class="mt-2 space-y-2" hx-disable="find button">
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

/** The CSRF field of each card's fork form, outside the cards (joined to its form by `form=`). */
export function ForkCsrfFields(props: { task_ids: readonly number[]; csrf_token: string | null }): JSX.Element {
  if (!props.csrf_token) return ''
  const token = props.csrf_token
  return (
    <div hidden>
      {props.task_ids.map((id) => (
        <input type="hidden" name={CSRF_FIELD} value={token} form={forkFormId(id)} />
      ))}
    </div>
  )
}

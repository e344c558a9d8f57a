import { Button, ChoiceGroup, CsrfField, TextArea } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'

/** The form fields of a verdict (the HTML twin of `POST /api/tasks/:id/review`). */
export const REVIEW_FIELDS = { verdict: 'verdict', comment: 'comment' } as const

/** Props of {@link ReviewForms}. */
export interface ReviewFormsProps {
  task_id: number
  agent_role: string
  /** Null in live fragments: htmx sends the token as a header inherited from `<body>`. */
  csrf_token: string | null
}

/**
 * The verdict forms of a card awaiting review: Approve, and Request changes / Reject with a
 * comment. Plain POST forms (a redirect back to the session without JavaScript); every open view
 * of the session then gets the card's new state from the live stream.
 */
export function ReviewForms(props: ReviewFormsProps): JSX.Element {
  const id = `review-${props.task_id}`
  const label = roleLabel(props.agent_role)
  return (
    <section class="review-forms mt-4 space-y-3 border-t border-slate-200 pt-3" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} class="agent-section-title" safe>{`Your review of the ${label}`}</h4>
      <form method="post" action={paths.taskReview(props.task_id)} class="review-approve">
        <CsrfField token={props.csrf_token} />
        <input type="hidden" name={REVIEW_FIELDS.verdict} value="approve" />
        <Button variant="primary">Approve</Button>
      </form>
      <form method="post" action={paths.taskReview(props.task_id)} class="review-comment">
        <CsrfField token={props.csrf_token} />
        <TextArea
          id={`${id}-comment`}
          name={REVIEW_FIELDS.comment}
          label="Comment"
          hint="What must change, or why it is rejected. The next attempt gets it in its prompt."
          required
          rows={3}
          maxlength={10_000}
        />
        <ChoiceGroup
          id={`${id}-verdict`}
          kind="radio"
          name={REVIEW_FIELDS.verdict}
          label="Verdict"
          values={['changes']}
          options={[
            { value: 'changes', label: 'Request changes', hint: 'The agent runs again with your comment, then waits for review again.' },
            { value: 'reject', label: 'Reject', hint: 'The task fails; what depends on it is skipped.' },
          ]}
        />
        <Button variant="secondary">Send verdict</Button>
      </form>
    </section>
  )
}

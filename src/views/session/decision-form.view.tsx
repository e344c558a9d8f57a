import { Button, ChoiceGroup, CsrfField, ErrorSummary, Spinner, TextArea, TextField, formValue } from '../components/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues } from '../view-types.ts'

/** Categories offered as suggestions; any text is accepted. */
export const DECISION_CATEGORIES = ['architecture', 'backend', 'database', 'frontend', 'design', 'security', 'infrastructure', 'process']

/** Props of {@link DecisionForm}. */
export interface DecisionFormProps {
  session_id: number
  csrf_token: string | null
  values?: FormValues
  errors?: FieldErrors
}

/**
 * The add-decision form. Without JavaScript it posts and the server redirects back; with htmx it
 * swaps itself (the server answers with a fresh form, or with this form and its errors under 422,
 * plus the journal list out of band).
 */
export function DecisionForm(props: DecisionFormProps): JSX.Element {
  const action = paths.sessionDecisions(props.session_id)
  const errors = props.errors ?? {}
  return (
    <form
      id="decision-form"
      class="form-card"
      method="post"
      action={action}
      hx-post={action}
      hx-swap="outerHTML"
      hx-disable="find button"
      novalidate
    >
      <h3 class="form-title">Add a decision</h3>
      <ErrorSummary errors={props.errors} idPrefix="decision" />
      <CsrfField token={props.csrf_token} />
      <TextArea
        id="decision-decision_text"
        name="decision_text"
        label="Decision"
        rows={3}
        required
        maxlength={5000}
        value={formValue(props.values, 'decision_text')}
        error={errors.decision_text}
      />
      <div class="form-row">
        <TextField
          id="decision-category"
          name="category"
          label="Category"
          required
          maxlength={100}
          value={formValue(props.values, 'category')}
          error={errors.category}
          hint={`For example: ${DECISION_CATEGORIES.slice(0, 4).join(', ')}`}
        />
        <ChoiceGroup
          id="decision-confidence"
          kind="radio"
          name="confidence"
          label="Confidence"
          values={[formValue(props.values, 'confidence') ?? 'medium']}
          options={[
            { value: 'high', label: 'High' },
            { value: 'medium', label: 'Medium' },
            { value: 'low', label: 'Low' },
          ]}
          error={errors.confidence}
        />
      </div>
      <div class="form-actions">
        <Button>Add decision</Button>
        <Spinner label="Saving…" indicator />
      </div>
    </form>
  )
}

import { AGENT_ROLES } from '../../agents/index.ts'
import {
  Button,
  ChoiceGroup,
  CsrfField,
  ErrorSummary,
  Spinner,
  TextArea,
  TextField,
  formValue,
  formValues,
} from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { type EstimateView, StartEstimate } from '../session/budget-estimate.view.tsx'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues } from '../view-types.ts'

/** Props of {@link StartSessionForm}. */
export interface StartSessionFormProps {
  team_id: number
  csrf_token: string | null
  values?: FormValues
  errors?: FieldErrors
  /** The pre-flight estimate of the current choice; absent: not shown. */
  estimate?: EstimateView | null
}

const PLANS = [
  { value: 'dag', label: 'Staged (recommended)', hint: 'Architect first, then pairs of agents build on earlier results.' },
  { value: 'parallel', label: 'Parallel', hint: 'All agents at once, each on its own.' },
  { value: 'sequential', label: 'Sequential', hint: 'One agent at a time; each sees all before it.' },
]

/** The error of a start form with no agent ticked. */
export const NO_AGENTS = 'Tick at least one agent to run.'

/** The start-session form: feature, description, plan and the agents to run (all seven by default). */
export function StartSessionForm(props: StartSessionFormProps): JSX.Element {
  // A fresh form ticks every agent; a re-rendered one keeps the user's choice (possibly none, with an error).
  const agents = props.values ? formValues(props.values, 'agents') : [...AGENT_ROLES]
  // The schema's "Agents are required: choose at least one" reads badly under a checkbox group: say what to do.
  const errors: FieldErrors = props.errors?.agents && agents.length === 0 ? { ...props.errors, agents: NO_AGENTS } : (props.errors ?? {})
  return (
    <form id="start-session-form" method="post" action={paths.sessions()} class="stack" novalidate>
      <ErrorSummary errors={props.errors ? errors : undefined} idPrefix="start" />
      <CsrfField token={props.csrf_token} />
      <input type="hidden" name="team_id" value={String(props.team_id)} />
      <TextField
        id="start-feature_name"
        name="feature_name"
        label="Feature name"
        required
        maxlength={255}
        value={formValue(props.values, 'feature_name')}
        error={errors.feature_name}
        placeholder="e.g. Password reset by email"
      />
      <TextArea
        id="start-description"
        name="description"
        label="Description"
        rows={4}
        value={formValue(props.values, 'description')}
        error={errors.description}
        hint="What should the feature do, for whom, and under which constraints?"
      />
      <ChoiceGroup
        id="start-plan"
        kind="radio"
        name="plan"
        label="Plan"
        values={[formValue(props.values, 'plan') ?? 'dag']}
        options={PLANS}
        error={errors.plan}
      />
      <ChoiceGroup
        id="start-agents"
        kind="checkbox"
        name="agents"
        label="Agents"
        columns
        values={agents}
        options={AGENT_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
        error={errors.agents}
      />
      {props.estimate !== undefined ? <StartEstimate team_id={props.team_id} estimate={props.estimate} /> : ''}
      <div class="form-actions">
        <Button>Start session</Button>
        <Spinner label="Starting…" indicator />
      </div>
    </form>
  )
}

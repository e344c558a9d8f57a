import { Button, CsrfField, ErrorSummary, SelectField, Spinner, TextField, formValue } from '../components/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues } from '../view-types.ts'

/** Props of {@link InviteForm}. */
export interface InviteFormProps {
  team_id: number
  csrf_token: string | null
  values?: FormValues
  errors?: FieldErrors
}

/** The owner's invite form: a username or email and the role to grant. */
export function InviteForm(props: InviteFormProps): JSX.Element {
  const errors = props.errors ?? {}
  return (
    <form id="invite-form" method="post" action={paths.teamInvite(props.team_id)} class="stack" novalidate>
      <ErrorSummary errors={props.errors} idPrefix="invite" />
      <CsrfField token={props.csrf_token} />
      <TextField
        id="invite-username"
        name="username"
        label="Username or email"
        required
        autocomplete="off"
        value={formValue(props.values, 'username')}
        error={errors.username}
      />
      <SelectField
        id="invite-role"
        name="role"
        label="Role"
        value={formValue(props.values, 'role') ?? 'member'}
        hint="Members start sessions and add decisions; viewers can only read."
        options={[
          { value: 'member', label: 'Member' },
          { value: 'viewer', label: 'Viewer' },
        ]}
        error={errors.role}
      />
      <div class="form-actions">
        <Button>Invite</Button>
        <Spinner label="Inviting…" indicator />
      </div>
    </form>
  )
}

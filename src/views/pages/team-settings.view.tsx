import { AGENT_ROLES } from '../../agents/index.ts'
import {
  Button,
  ChoiceGroup,
  ConfirmForm,
  CsrfField,
  ErrorSummary,
  PageHeader,
  TextArea,
  TextField,
  formValue,
  formValues,
} from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, PageContext, TeamSettingsView, TeamView } from '../view-types.ts'

/** Props of {@link TeamSettingsPage}. */
export interface TeamSettingsPageProps {
  ctx: PageContext
  team: TeamView
  settings: TeamSettingsView
  /** Members besides the owner (making the team personal removes them). */
  member_count: number
  /** The defaults form's submitted values, when it is shown again with its errors. */
  values?: FormValues
  errors?: FieldErrors
  /** The name and description form, when it is shown again with its errors. */
  team_form?: { values: FormValues; errors: FieldErrors }
}

/** The labels of the team form's fields. */
export const TEAM_FORM_LABELS = { name: 'Name', description: 'Description' } as const

/** The labels of the settings form's fields, in its order (also the error summary's). */
export const TEAM_SETTINGS_LABELS = {
  review: 'Review',
  review_roles: 'Roles to review',
  review_below_confidence: 'Review below confidence',
  session_budget_usd: 'Session budget (USD)',
  monthly_budget_usd: 'Monthly budget (USD)',
} as const

/** A number as the form shows it: blank for none. */
function amount(value: number | null): string {
  return value === null ? '' : String(value)
}

/** The review mode a setting reads as: none, all, or some roles. */
function reviewMode(review: TeamSettingsView['review']): 'none' | 'all' | 'roles' {
  return Array.isArray(review) ? 'roles' : review
}

/** `/teams/:id/settings` (owners): the defaults of the team's new sessions — review and budgets. */
export function TeamSettingsPage(props: TeamSettingsPageProps): JSX.Element {
  const { team, settings } = props
  const errors = props.errors ?? {}
  const values = props.values
  const pick = (name: string, fallback: string): string => (values ? (formValue(values, name) ?? '') : fallback)
  const roles = values
    ? formValues(values, 'review_roles')
    : Array.isArray(settings.review)
      ? settings.review
      : []
  return (
    <Layout title={`Settings · ${team.name}`} ctx={props.ctx}>
      <PageHeader
        title="Team settings"
        subtitle={`The defaults of ${team.name}'s new sessions. A session started with its own review or budget keeps it.`}
      />
      <p>
        <a href={paths.team(team.id)} class="link">
          ← Back to <span safe>{team.name}</span>
        </a>
      </p>
      <ErrorSummary errors={{ ...props.team_form?.errors, ...errors }} />
      <TeamDetailsForm {...props} />
      <form method="post" action={paths.teamSettings(team.id)} class="panel settings-form" aria-labelledby="review-settings">
        <CsrfField token={props.ctx.csrf_token} />
        <section aria-labelledby="review-settings">
          <h2 id="review-settings" class="section-title">
            Human review
          </h2>
          <ChoiceGroup
            kind="radio"
            name="review"
            label={TEAM_SETTINGS_LABELS.review}
            values={[pick('review', reviewMode(settings.review))]}
            error={errors.review}
            options={[
              { value: 'none', label: 'No review', hint: 'Every agent’s output is accepted as it comes.' },
              { value: 'all', label: 'Every agent', hint: 'Each finished agent waits for a member’s verdict before the next stage starts.' },
              { value: 'roles', label: 'Only the roles ticked below' },
            ]}
          />
          <ChoiceGroup
            kind="checkbox"
            name="review_roles"
            label={TEAM_SETTINGS_LABELS.review_roles}
            values={roles}
            error={errors.review_roles}
            columns
            options={AGENT_ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
          />
          <TextField
            name="review_below_confidence"
            label={TEAM_SETTINGS_LABELS.review_below_confidence}
            hint="A number from 0 to 1: any output whose confidence is below it waits for review too. Leave blank for none."
            inputmode="decimal"
            value={pick('review_below_confidence', amount(settings.review_below_confidence))}
            error={errors.review_below_confidence}
          />
        </section>
        <section aria-labelledby="budget-settings">
          <h2 id="budget-settings" class="section-title">
            Budgets
          </h2>
          <TextField
            name="session_budget_usd"
            label={TEAM_SETTINGS_LABELS.session_budget_usd}
            hint="The most one session may spend on model calls. A task that would pass it waits until an owner raises it. Blank: no limit."
            inputmode="decimal"
            value={pick('session_budget_usd', amount(settings.session_budget_usd))}
            error={errors.session_budget_usd}
          />
          <TextField
            name="monthly_budget_usd"
            label={TEAM_SETTINGS_LABELS.monthly_budget_usd}
            hint="The most the whole team may spend in a calendar month (UTC), over every session. Blank: no limit."
            inputmode="decimal"
            value={pick('monthly_budget_usd', amount(settings.monthly_budget_usd))}
            error={errors.monthly_budget_usd}
          />
        </section>
        <Button type="submit">Save settings</Button>
      </form>
      <SharingPanel {...props} />
      <section aria-labelledby="delete-team" class="panel danger-zone">
        <h2 id="delete-team" class="section-title">
          Delete this team
        </h2>
        <p>Its sessions, tasks, decisions, reviews and snapshots go with it. Running agents are stopped first. This cannot be undone.</p>
        <ConfirmForm
          action={paths.teamDelete(team.id)}
          csrf_token={props.ctx.csrf_token}
          confirm={`Delete the team "${team.name}" with all its sessions? This cannot be undone.`}
        >
          <Button type="submit" variant="danger">
            Delete team
          </Button>
        </ConfirmForm>
      </section>
    </Layout>
  )
}

/** The team's name and description. */
function TeamDetailsForm(props: TeamSettingsPageProps): JSX.Element {
  const form = props.team_form
  const value = (name: 'name' | 'description', fallback: string): string => (form ? (formValue(form.values, name) ?? '') : fallback)
  return (
    <form method="post" action={paths.teamDetails(props.team.id)} class="panel settings-form" aria-labelledby="team-details">
      <CsrfField token={props.ctx.csrf_token} />
      <h2 id="team-details" class="section-title">
        Team
      </h2>
      <TextField name="name" label={TEAM_FORM_LABELS.name} required maxlength={100} value={value('name', props.team.name)} error={form?.errors.name} />
      <TextArea
        name="description"
        label={TEAM_FORM_LABELS.description}
        rows={3}
        value={value('description', props.team.description ?? '')}
        error={form?.errors.description}
      />
      <Button type="submit">Save name and description</Button>
    </form>
  )
}

/** Shared or personal: a personal team has only its owner; making a shared one personal removes its members (asked first). */
function SharingPanel(props: TeamSettingsPageProps): JSX.Element {
  const { team } = props
  const others = props.member_count
  return (
    <section aria-labelledby="team-sharing" class="panel">
      <h2 id="team-sharing" class="section-title">
        Sharing
      </h2>
      {team.is_shared ? (
        <>
          <p safe>
            {`Shared: ${others === 0 ? 'no one else is in it yet' : others === 1 ? '1 other person is in it' : `${others} other people are in it`}. Invite people from the team page.`}
          </p>
          <ConfirmForm
            action={paths.teamUnshare(team.id)}
            csrf_token={props.ctx.csrf_token}
            confirm={
              others === 0
                ? 'Make this team personal? Only you will be able to see it.'
                : `Make this team personal? Its ${others} other member${others === 1 ? '' : 's'} will lose access.`
            }
          >
            <Button type="submit" variant="secondary">
              Make personal
            </Button>
          </ConfirmForm>
        </>
      ) : (
        <>
          <p>Personal: only you are in it. Share it to invite members and viewers (inviting someone also shares it).</p>
          <form method="post" action={paths.teamShare(team.id)}>
            <CsrfField token={props.ctx.csrf_token} />
            <Button type="submit" variant="secondary">
              Share this team
            </Button>
          </form>
        </>
      )}
    </section>
  )
}

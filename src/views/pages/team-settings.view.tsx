import { AGENT_ROLES } from '../../agents/index.ts'
import { Button, ChoiceGroup, CsrfField, ErrorSummary, PageHeader, TextField, formValue, formValues } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, PageContext, TeamSettingsView, TeamView } from '../view-types.ts'

/** Props of {@link TeamSettingsPage}. */
export interface TeamSettingsPageProps {
  ctx: PageContext
  team: TeamView
  settings: TeamSettingsView
  /** The submitted values, when the form is shown again with its errors. */
  values?: FormValues
  errors?: FieldErrors
}

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
      <ErrorSummary errors={errors} />
      <form method="post" action={paths.teamSettings(team.id)} class="panel settings-form">
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
    </Layout>
  )
}

import {
  Button,
  CheckboxField,
  CsrfField,
  EmptyState,
  ErrorSummary,
  PageHeader,
  RoleBadge,
  TextArea,
  TextField,
  formValue,
} from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, PageContext, TeamView } from '../view-types.ts'

/** Props of {@link TeamsPage}. */
export interface TeamsPageProps {
  ctx: PageContext
  teams: TeamView[]
  values?: FormValues
  errors?: FieldErrors
}

/** The teams the viewer owns or belongs to, and the create-team form. */
export function TeamsPage(props: TeamsPageProps): JSX.Element {
  const errors = props.errors ?? {}
  return (
    <Layout title="Teams" ctx={props.ctx}>
      <PageHeader title="Teams" subtitle="Teams you own or belong to." />
      <div class="two-col two-col-wide-left">
        <section aria-labelledby="teams-list" class="panel">
          <h2 id="teams-list" class="section-title">
            Your teams
          </h2>
          {props.teams.length === 0 ? (
            <EmptyState title="No teams yet" message="Create your first team with the form on this page." />
          ) : (
            <ul class="card-list">
              {props.teams.map((t) => (
                <li class="team-row">
                  <div class="min-w-0">
                    <a href={paths.team(t.id)} class="session-link" safe>
                      {t.name}
                    </a>
                    <p class="session-meta" safe>
                      {t.description || (t.is_shared ? 'Shared team' : 'Personal team')}
                    </p>
                  </div>
                  <RoleBadge role={t.role} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="team-create" class="panel">
          <h2 id="team-create" class="section-title">
            Create a team
          </h2>
          <form method="post" action={paths.teams()} class="stack" novalidate>
            <ErrorSummary errors={props.errors} />
            <CsrfField token={props.ctx.csrf_token} />
            <TextField
              name="name"
              label="Name"
              required
              maxlength={255}
              value={formValue(props.values, 'name')}
              error={errors.name}
            />
            <TextArea
              name="description"
              label="Description"
              rows={3}
              value={formValue(props.values, 'description')}
              error={errors.description}
            />
            <CheckboxField
              name="is_shared"
              label="Shared team"
              hint="Shared teams can invite members and viewers; a personal team has only you (share it later from its settings)."
              checked={formValue(props.values, 'is_shared') === 'true'}
            />
            <Button>Create team</Button>
          </form>
        </section>
      </div>
    </Layout>
  )
}

import { Alert, Button, CsrfField, EmptyState, ErrorSummary, PageHeader, TextField, TimeText, formValue } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import type { FieldErrors, FormValues, PageContext } from '../view-types.ts'

/** One personal API token as the page lists it (never its secret). */
export interface TokenView {
  id: number
  name: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
}

/** Props of {@link TokensPage}. */
export interface TokensPageProps {
  ctx: PageContext
  tokens: TokenView[]
  /** The token just created and its secret: rendered this once, never stored. */
  created?: { name: string; secret: string } | undefined
  values?: FormValues
  errors?: FieldErrors
}

/** `/settings/tokens`: the caller's personal API tokens, a form to create one (its secret shown once) and a revoke button each. */
export function TokensPage(props: TokensPageProps): JSX.Element {
  const errors = props.errors ?? {}
  return (
    <Layout title="API tokens" ctx={props.ctx}>
      <PageHeader title="API tokens" subtitle="Personal tokens for the command line and scripts: send one as Authorization: Bearer." />
      {props.created ? (
        <section aria-labelledby="new-token" class="panel">
          <h2 id="new-token" class="section-title">
            New token
          </h2>
          <Alert kind="success" message="Copy this secret now: it is shown only once and stored only as a hash." />
          <p safe>{props.created.name}</p>
          <pre>
            <code id="token-secret" safe>
              {props.created.secret}
            </code>
          </pre>
        </section>
      ) : (
        ''
      )}
      <div class="two-col two-col-wide-left">
        <section aria-labelledby="token-list" class="panel">
          <h2 id="token-list" class="section-title">
            Your tokens
          </h2>
          {props.tokens.length === 0 ? (
            <EmptyState title="No tokens yet" message="Create one with the form on this page, or run sage login." />
          ) : (
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span class="sr-only">Revoke</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.tokens.map((t) => (
                  <tr>
                    <td safe>{t.name}</td>
                    <td>
                      <TimeText iso={t.created_at} />
                    </td>
                    <td>{t.expires_at ? <TimeText iso={t.expires_at} /> : <span>never</span>}</td>
                    <td>
                      <TimeText iso={t.last_used_at} />
                    </td>
                    <td>
                      <form method="post" action={`/settings/tokens/${t.id}/revoke`} hx-confirm="Revoke this token? Scripts using it stop working at once.">
                        <CsrfField token={props.ctx.csrf_token} />
                        <Button variant="danger" class="btn-small">
                          Revoke
                        </Button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="token-create" class="panel">
          <h2 id="token-create" class="section-title">
            Create a token
          </h2>
          <form method="post" action="/settings/tokens" novalidate>
            <CsrfField token={props.ctx.csrf_token} />
            <ErrorSummary errors={errors} />
            <TextField name="name" label="Name" required maxlength={100} value={formValue(props.values, 'name')} error={errors.name} hint="What uses it, e.g. CI" />
            <TextField
              name="expires_in_days"
              label="Expires after (days)"
              value={formValue(props.values, 'expires_in_days')}
              error={errors.expires_in_days}
              hint="Leave empty for a token that lasts until revoked"
            />
            <Button>Create token</Button>
          </form>
        </section>
      </div>
    </Layout>
  )
}

import { Alert, Button, CsrfField, TextField, formValue } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, PageContext } from '../view-types.ts'

/** Props of {@link LoginPage}. */
export interface LoginPageProps {
  ctx: PageContext
  values?: FormValues
  errors?: FieldErrors
  /** Where to go after logging in (a same-site path). */
  next?: string
}

/** The login page; a wrong password shows one message that does not say which field was wrong. */
export function LoginPage(props: LoginPageProps): JSX.Element {
  const errors = props.errors ?? {}
  return (
    <Layout title="Log in" ctx={props.ctx}>
      <div class="auth-card">
        <h1 class="page-title">Log in</h1>
        <p class="page-subtitle">Welcome back.</p>
        <form method="post" action={paths.login()} class="stack" novalidate>
          {errors._form ? <Alert kind="error" message={errors._form} /> : ''}
          <CsrfField token={props.ctx.csrf_token} />
          {props.next ? <input type="hidden" name="next" value={props.next} /> : ''}
          <TextField
            name="username"
            label="Username or email"
            autocomplete="username"
            required
            value={formValue(props.values, 'username')}
            error={errors.username}
          />
          <TextField
            name="password"
            type="password"
            label="Password"
            autocomplete="current-password"
            required
            error={errors.password}
          />
          <Button class="w-full">Log in</Button>
        </form>
        <p class="auth-switch">
          New here? <a href={paths.signup()}>Create an account</a>
        </p>
      </div>
    </Layout>
  )
}

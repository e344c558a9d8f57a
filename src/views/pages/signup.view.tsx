import { Button, CsrfField, ErrorSummary, TextField, formValue } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, PageContext } from '../view-types.ts'

/** Props of {@link SignupPage}. */
export interface SignupPageProps {
  ctx: PageContext
  values?: FormValues
  errors?: FieldErrors
}

/** The sign-up page: username, email and password, with the rules shown up front and errors by each field. */
export function SignupPage(props: SignupPageProps): JSX.Element {
  const errors = props.errors ?? {}
  return (
    <Layout title="Sign up" ctx={props.ctx}>
      <div class="auth-card">
        <h1 class="page-title">Create your account</h1>
        <p class="page-subtitle">Start a session and watch seven agents design your feature.</p>
        <form method="post" action={paths.signup()} class="stack" novalidate>
          <ErrorSummary errors={props.errors} />
          <CsrfField token={props.ctx.csrf_token} />
          <TextField
            name="username"
            label="Username"
            autocomplete="username"
            required
            minlength={3}
            maxlength={50}
            value={formValue(props.values, 'username')}
            hint="3–50 characters: letters, digits, dot, dash or underscore."
            error={errors.username}
          />
          <TextField
            name="email"
            type="email"
            label="Email"
            autocomplete="email"
            required
            value={formValue(props.values, 'email')}
            error={errors.email}
          />
          <TextField
            name="password"
            type="password"
            label="Password"
            autocomplete="new-password"
            required
            minlength={8}
            hint="At least 8 characters."
            error={errors.password}
          />
          <Button class="w-full">Create account</Button>
        </form>
        <p class="auth-switch">
          Already have an account? <a href={paths.login()}>Log in</a>
        </p>
      </div>
    </Layout>
  )
}

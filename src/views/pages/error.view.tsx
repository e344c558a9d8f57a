import { LinkButton } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext } from '../view-types.ts'

/** Props of {@link ErrorPage}. */
export interface ErrorPageProps {
  ctx: PageContext
  status: number
  /** Shown to the user; never a stack trace. */
  message?: string
  request_id?: string
}

const TITLES: Record<number, string> = {
  400: 'That request did not make sense',
  401: 'Please log in',
  403: 'You do not have access to this',
  404: 'Page not found',
  409: 'That conflicts with the current state',
  413: 'That was too large',
  422: 'Some values were not valid',
  429: 'Too many attempts',
  500: 'Something went wrong on our side',
  503: 'Temporarily unavailable',
}

/** The title for an HTTP status. */
export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Something went wrong on our side' : 'That did not work')
}

/** A full error page (404, 403, 500 …) with a way back. */
export function ErrorPage(props: ErrorPageProps): JSX.Element {
  return (
    <Layout title={errorTitle(props.status)} ctx={props.ctx}>
      <ErrorPanel status={props.status} message={props.message} request_id={props.request_id} loggedIn={props.ctx.user !== null} />
    </Layout>
  )
}

/** The error panel alone, for htmx requests that swap only a region. */
export function ErrorFragment(props: { status: number; message?: string; request_id?: string }): JSX.Element {
  return (
    <div class="alert alert-error" role="alert">
      <span class="alert-icon" aria-hidden="true">
        !
      </span>
      <div>
        <p class="font-semibold" safe>
          {errorTitle(props.status)}
        </p>
        {props.message ? <p safe>{props.message}</p> : ''}
      </div>
    </div>
  )
}

function ErrorPanel(props: { status: number; message?: string | undefined; request_id?: string | undefined; loggedIn: boolean }): JSX.Element {
  return (
    <section class="error-panel" aria-labelledby="error-title">
      <p class="error-code" safe>
        {String(props.status)}
      </p>
      <h1 id="error-title" class="page-title" safe>
        {errorTitle(props.status)}
      </h1>
      {props.message ? (
        <p class="page-subtitle" safe>
          {props.message}
        </p>
      ) : (
        ''
      )}
      <div class="hero-actions">
        {props.status === 401 && !props.loggedIn ? (
          <LinkButton href={paths.login()} variant="primary">
            Log in
          </LinkButton>
        ) : (
          <LinkButton href={paths.home()} variant="primary">
            Go home
          </LinkButton>
        )}
      </div>
      {props.request_id ? (
        <p class="muted text-sm">
          Request id: <code safe>{props.request_id}</code>
        </p>
      ) : (
        ''
      )}
    </section>
  )
}

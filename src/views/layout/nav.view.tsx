import { CsrfField } from '../components/index.ts'
import { paths } from '../paths.ts'
import type { UserView } from '../view-types.ts'

/** The boost config every boosted link and form shares: swap the whole body, attributes included (CSRF header). */
export const BOOST = 'swap:outerSync target:body'

const LINKS = [
  { href: paths.home(), label: 'Home' },
  { href: paths.teams(), label: 'Teams' },
  { href: paths.sessions(), label: 'Sessions' },
  { href: paths.decisions(), label: 'Decisions' },
  { href: paths.dashboard(), label: 'Dashboard' },
  { href: '/settings/tokens', label: 'API tokens' },
]

/** True when `path` is `href` or below it (`/teams/3` is under Teams). */
function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`)
}

/** Props of {@link SiteHeader}. */
export interface SiteHeaderProps {
  user: UserView | null
  csrf_token: string | null
  path: string
  /** Tasks awaiting the viewer's review: a badge linking to the home page's list. */
  awaiting_reviews?: number
}

/** The site header: brand, primary navigation (boosted) and the account area. */
export function SiteHeader(props: SiteHeaderProps): JSX.Element {
  return (
    <header class="site-header">
      <div class="site-header-inner" hx-boost:inherited={BOOST}>
        <a href={paths.home()} class="brand">
          <svg viewBox="0 0 24 24" class="brand-mark" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="10" fill="currentColor" />
            <path d="M7 13l3 3 7-8" stroke="white" stroke-width="2.5" fill="none" stroke-linecap="round" />
          </svg>
          <span>Sage Mode</span>
        </a>
        {props.user ? (
          <nav aria-label="Main" class="main-nav">
            <ul>
              {LINKS.map((l) => (
                <li>
                  <a href={l.href} aria-current={isCurrent(props.path, l.href) ? 'page' : undefined} safe>
                    {l.label}
                  </a>
                </li>
              ))}
            </ul>
            {props.awaiting_reviews ? (
              <a href={`${paths.home()}#awaiting-reviews`} class="badge badge-awaiting_review nav-review-badge" safe>
                {`${props.awaiting_reviews} to review`}
              </a>
            ) : (
              ''
            )}
          </nav>
        ) : (
          ''
        )}
        <div class="account">
          {props.user ? (
            <>
              <span class="account-name">
                <span class="sr-only">Signed in as </span>
                <span safe>{props.user.username}</span>
              </span>
              <form method="post" action={paths.logout()}>
                <CsrfField token={props.csrf_token} />
                <button type="submit" class="btn btn-ghost btn-small">
                  Log out
                </button>
              </form>
            </>
          ) : (
            <>
              <a href={paths.login()} class="btn btn-ghost btn-small">
                Log in
              </a>
              <a href={paths.signup()} class="btn btn-primary btn-small">
                Sign up
              </a>
            </>
          )}
        </div>
      </div>
    </header>
  )
}

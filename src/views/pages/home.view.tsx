import { EmptyState, LinkButton, PageHeader, RoleBadge } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext, SessionView, TeamView } from '../view-types.ts'
import { SessionList } from './session-list.view.tsx'
import { AwaitingReviewList, type AwaitingReviewView } from '../session/index.ts'

/** Props of {@link HomePage}. */
export interface HomePageProps {
  ctx: PageContext
  teams: TeamView[]
  recent_sessions: SessionView[]
  /** Usernames by user id: who started each recent session. */
  starters?: Record<number, string>
  /** Tasks awaiting the viewer's verdict. */
  awaiting_reviews?: AwaitingReviewView[]
}

/** Home: a landing pitch when logged out; the viewer's teams and recent sessions when logged in. */
export function HomePage(props: HomePageProps): JSX.Element {
  const user = props.ctx.user
  if (!user) {
    return (
      <Layout title="Welcome" ctx={props.ctx}>
        <section class="hero">
          <h1 class="hero-title">A development team of seven agents, in your browser</h1>
          <p class="hero-text">
            Describe a feature. An architect, backend and frontend developers, a DBA, a designer, a security specialist
            and an IT administrator analyse it in stages, and you watch every decision arrive live.
          </p>
          <div class="hero-actions">
            <LinkButton href={paths.signup()} variant="primary">
              Create an account
            </LinkButton>
            <LinkButton href={paths.login()}>Log in</LinkButton>
          </div>
        </section>
      </Layout>
    )
  }
  const names = Object.fromEntries(props.teams.map((t) => [t.id, t.name]))
  return (
    <Layout title="Home" ctx={props.ctx}>
      <PageHeader title={`Hello, ${user.username}`} subtitle="Your teams and their latest sessions.">
        <LinkButton href={paths.teams()} variant="primary">
          New team
        </LinkButton>
      </PageHeader>
      <AwaitingReviewList items={props.awaiting_reviews ?? []} />
      <div class="two-col">
        <section aria-labelledby="home-teams" class="panel">
          <h2 id="home-teams" class="section-title">
            Your teams
          </h2>
          {props.teams.length === 0 ? (
            <EmptyState title="No teams yet" message="Create a team to start your first session.">
              <LinkButton href={paths.teams()} variant="primary">
                Create a team
              </LinkButton>
            </EmptyState>
          ) : (
            <ul class="link-list">
              {props.teams.map((t) => (
                <li>
                  <a href={paths.team(t.id)} safe>
                    {t.name}
                  </a>
                  <RoleBadge role={t.role} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="home-sessions" class="panel">
          <div class="section-head">
            <h2 id="home-sessions" class="section-title">
              Recent sessions
            </h2>
            <a href={paths.sessions()} class="section-link">
              All sessions
            </a>
          </div>
          <SessionList
            sessions={props.recent_sessions}
            team_names={names}
            starters={props.starters}
            empty_message="Open a team and start a session: the seven agents begin at once."
          />
        </section>
      </div>
    </Layout>
  )
}

import { Button, CsrfField, LinkButton, PageHeader, RoleBadge } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, MemberView, PageContext, SessionView, TeamView } from '../view-types.ts'
import { InviteForm } from './invite-form.view.tsx'
import { SessionList } from './session-list.view.tsx'
import { SessionPager } from './session-pager.view.tsx'
import { StartSessionForm } from './start-session-form.view.tsx'
import { TeamMembers } from './team-members.view.tsx'

/** Props of {@link TeamPage}. */
export interface TeamPageProps {
  ctx: PageContext
  team: TeamView
  members: MemberView[]
  sessions: SessionView[]
  /** Usernames by user id of whoever started the listed sessions. */
  starters?: Record<number, string>
  /** The next (older) page of the team's sessions, or null on the last page. */
  next_href?: string | null
  /** Whether the list is a later page (offers a way back to the newest). */
  paged?: boolean
  /** A re-rendered start-session form (after a validation error). */
  start_form?: { values?: FormValues; errors?: FieldErrors }
  invite_form?: { values?: FormValues; errors?: FieldErrors }
}

/**
 * A team: its sessions, the start-session form (owners and members only), its members with role
 * management and the invite form (owners only).
 */
export function TeamPage(props: TeamPageProps): JSX.Element {
  const { team } = props
  const canStart = team.role === 'owner' || team.role === 'member'
  const isOwner = team.role === 'owner'
  return (
    <Layout title={team.name} ctx={props.ctx} skip_to={canStart ? { href: '#start-session', label: 'Skip to start a session' } : undefined}>
      <PageHeader
        title={team.name}
        subtitle={team.description}
        eyebrow={team.is_shared ? 'Shared team' : 'Personal team'}
        eyebrowHref={paths.teams()}
      >
        <RoleBadge role={team.role} />
        {isOwner ? (
          <LinkButton href={paths.teamSettings(team.id)} class="btn-small">
            Settings
          </LinkButton>
        ) : (
          ''
        )}
      </PageHeader>
      {/* The start form comes first in the document, so at 390 px it is on the first screen and one Tab
          after the skip link; at lg the grid puts it in the right-hand column. */}
      <div class="two-col two-col-wide-left team-layout">
        <div class="stack-lg team-side">
          {canStart ? (
            <section id="start-session" aria-labelledby="team-start" class="panel" tabindex="-1">
              <h2 id="team-start" class="section-title">
                Start a session
              </h2>
              <StartSessionForm
                team_id={team.id}
                csrf_token={props.ctx.csrf_token}
                values={props.start_form?.values}
                errors={props.start_form?.errors}
              />
            </section>
          ) : (
            <section aria-labelledby="team-viewer" class="panel">
              <h2 id="team-viewer" class="section-title">
                Read-only access
              </h2>
              <p class="muted">As a viewer you can follow sessions and read decisions, but not start sessions.</p>
            </section>
          )}
          {isOwner && !team.is_shared ? (
            <section aria-labelledby="team-invite" class="panel">
              <h2 id="team-invite" class="section-title">
                Personal team
              </h2>
              <p class="muted">Only you are in this team. Share it to invite members and viewers.</p>
              <form method="post" action={paths.teamShare(team.id)}>
                <CsrfField token={props.ctx.csrf_token} />
                <Button type="submit" variant="secondary">
                  Share this team
                </Button>
              </form>
            </section>
          ) : isOwner ? (
            <section aria-labelledby="team-invite" class="panel">
              <h2 id="team-invite" class="section-title">
                Invite someone
              </h2>
              <InviteForm
                team_id={team.id}
                csrf_token={props.ctx.csrf_token}
                values={props.invite_form?.values}
                errors={props.invite_form?.errors}
              />
            </section>
          ) : (
            ''
          )}
        </div>
        <div class="stack-lg">
          <section aria-labelledby="team-sessions" class="panel">
            <div class="section-head">
              <h2 id="team-sessions" class="section-title">
                {props.paged ? 'Older sessions' : 'Sessions'}
              </h2>
              <a href={`${paths.sessions()}?team=${team.id}`} class="section-link">
                Filter and search
              </a>
            </div>
            <SessionList
              sessions={props.sessions}
              starters={props.starters}
              empty_message={
                canStart ? 'Start the first session with the form on this page.' : 'Members of this team have not started a session yet.'
              }
            />
            <SessionPager
              label="Pages of this team's sessions"
              paged={props.paged ?? false}
              newest_href={paths.team(team.id)}
              next_href={props.next_href ?? null}
              end_note={null}
            />
          </section>
          <section aria-labelledby="team-members" class="panel">
            <h2 id="team-members" class="section-title">
              Members
            </h2>
            <TeamMembers
              team={team}
              members={props.members}
              viewer_id={props.ctx.user?.id ?? 0}
              csrf_token={props.ctx.csrf_token}
            />
          </section>
        </div>
      </div>
    </Layout>
  )
}

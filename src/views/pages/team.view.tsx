import { PageHeader, RoleBadge } from '../components/index.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { FieldErrors, FormValues, MemberView, PageContext, SessionView, TeamView } from '../view-types.ts'
import { InviteForm } from './invite-form.view.tsx'
import { SessionList } from './session-list.view.tsx'
import { StartSessionForm } from './start-session-form.view.tsx'
import { TeamMembers } from './team-members.view.tsx'

/** Props of {@link TeamPage}. */
export interface TeamPageProps {
  ctx: PageContext
  team: TeamView
  members: MemberView[]
  sessions: SessionView[]
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
    <Layout title={team.name} ctx={props.ctx}>
      <PageHeader
        title={team.name}
        subtitle={team.description}
        eyebrow={team.is_shared ? 'Shared team' : 'Personal team'}
        eyebrowHref={paths.teams()}
      >
        <RoleBadge role={team.role} />
      </PageHeader>
      <div class="two-col two-col-wide-left">
        <div class="stack-lg">
          <section aria-labelledby="team-sessions" class="panel">
            <h2 id="team-sessions" class="section-title">
              Sessions
            </h2>
            <SessionList
              sessions={props.sessions}
              empty_message={
                canStart ? 'Start the first session with the form on this page.' : 'Members of this team have not started a session yet.'
              }
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
        <div class="stack-lg">
          {canStart ? (
            <section aria-labelledby="team-start" class="panel">
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
          {isOwner ? (
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
      </div>
    </Layout>
  )
}

import { Elysia } from 'elysia'
import { z } from 'zod'
import { findUserByNameOrEmail } from '../../auth/index.ts'
import { decodeCursor, getSession, listAwaitingReviews, listSessionPage, listTasks } from '../../sessions/index.ts'
import {
  addMember,
  CreateTeamBody,
  createTeam,
  getTeam,
  InviteRole,
  listMembers,
  listTeamsOf,
  removeMember,
  setMemberRole,
} from '../../teams/index.ts'
import { ConfirmActionPage, HomePage, paths, type TeamPageProps, TeamPage, TeamsPage } from '../../views/index.ts'
import type { FormValues, PageContext } from '../../views/index.ts'
import { requireTeam } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts'
import { startFormEstimate } from './budget-estimate.ts'
import { isConfirmed } from './confirm.ts'
import { flashCookie } from './flash.ts'
import { field, formValuesOf, parseForm, pathId } from './form-parse.ts'
import { authedPage, publicPage } from './page-handler.tsx'
import { htmlResponse, seeOther } from './page-response.ts'
import { memberView, sessionView, teamView } from './view-data.ts'

/** Sessions on one page of a team's list. */
const TEAM_PAGE_SESSIONS = 25

const TEAM_LABELS = { name: 'Name', description: 'Description' }
const INVITE_LABELS = { username: 'Username or email', role: 'Role' }

const InviteForm = z.strictObject({ username: z.string().trim().min(1, 'is required').max(254, 'is too long'), role: InviteRole })
const RoleForm = z.strictObject({ role: InviteRole })

/** The data of a team page, and the page itself (the forms re-render into it with their errors). */
async function teamPage(
  deps: AppDeps,
  ctx: PageContext,
  userId: number,
  teamId: number,
  forms: Pick<TeamPageProps, 'start_form' | 'invite_form'> = {},
  cursor: string | null = null,
): Promise<JSX.Element> {
  const role = await requireTeam(deps.db, userId, teamId, 'read')
  const team = await getTeam(deps.db, teamId, role)
  if (!team) throw new NotFoundError('Team not found.')
  // The start form's pre-flight estimate (members and owners see the form).
  if (role !== 'viewer' && forms.start_form?.estimate === undefined) {
    forms = { ...forms, start_form: { ...forms.start_form, estimate: await startFormEstimate(deps, teamId, forms.start_form?.values) } }
  }
  let after: number | undefined
  if (cursor !== null && cursor !== '') {
    const decoded = decodeCursor(cursor)
    if (decoded === null) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this app issued' }])
    after = decoded
  }
  const [members, page] = await Promise.all([
    listMembers(deps.db, teamId),
    listSessionPage(deps.db, { team_ids: [teamId], limit: TEAM_PAGE_SESSIONS, after }),
  ])
  return (
    <TeamPage
      ctx={ctx}
      team={teamView(team)}
      members={members.map(memberView)}
      sessions={page.sessions.map(sessionView)}
      starters={Object.fromEntries(page.sessions.map((s) => [s.user_id, s.started_by]))}
      next_href={page.next_cursor ? `${paths.team(teamId)}?cursor=${page.next_cursor}` : null}
      paged={after !== undefined}
      {...forms}
    />
  )
}

/**
 * `?again=<session id>`: the start form's values from that session of this team (its feature name,
 * description, plan and agents), to start it again with the same brief. Null when the parameter is
 * absent, not an id, or names no session of this team (the form then starts empty, as usual);
 * the team page itself checks the viewer may read the team.
 */
async function startAgainValues(deps: AppDeps, teamId: number, again: string | null): Promise<FormValues | null> {
  const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).safeParse(again ?? '')
  if (!again || !id.success) return null
  const session = await getSession(deps.db, id.data)
  if (!session || session.team_id !== teamId) return null
  const tasks = await listTasks(deps.db, session.id)
  return { feature_name: session.feature_name, description: session.description ?? '', plan: session.plan, agents: [...new Set(tasks.map((t) => t.agent_role))] }
}

/** Renders the team page again with a form's errors (422), keeping the browser's URL on the team. */
export async function teamPageWithErrors(
  deps: AppDeps,
  ctx: PageContext,
  userId: number,
  teamId: number,
  forms: Pick<TeamPageProps, 'start_form' | 'invite_form'>,
  status = 422,
): Promise<Response> {
  return htmlResponse(await teamPage(deps, { ...ctx, path: `/teams/${teamId}` }, userId, teamId, forms), status, {
    headers: { 'hx-push-url': `/teams/${teamId}` },
  })
}

/** `/` (home), `/teams` (list and create) and `/teams/:id` (members, invite, roles, sessions, start form). */
export function teamsPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'teams-pages' })
    .get(
      '/',
      publicPage(deps, async ({ auth, ctx }) => {
        if (!auth) return htmlResponse(<HomePage ctx={ctx} teams={[]} recent_sessions={[]} />)
        const [teams, awaiting] = await Promise.all([listTeamsOf(db, auth.user.id), listAwaitingReviews(db, auth.user.id)])
        // The same list as /sessions' first page, with who started each.
        const recent = await listSessionPage(db, { team_ids: teams.map((t) => t.id), limit: 10 })
        return htmlResponse(
          <HomePage
            ctx={ctx}
            teams={teams.map(teamView)}
            recent_sessions={recent.sessions.map(sessionView)}
            starters={Object.fromEntries(recent.sessions.map((s) => [s.user_id, s.started_by]))}
            awaiting_reviews={awaiting.map((a) => ({ ...a, since: a.since ? new Date(a.since).toISOString() : null }))}
          />,
        )
      }),
    )
    .get(
      '/teams',
      authedPage(deps, async ({ auth, ctx }) => htmlResponse(<TeamsPage ctx={ctx} teams={(await listTeamsOf(db, auth.user.id)).map(teamView)} />)),
    )
    .post(
      '/teams',
      authedPage(deps, async ({ auth, ctx, body }) => {
        const description = field(body, 'description').trim()
        const input = {
          name: field(body, 'name'),
          ...(description ? { description } : {}),
          is_shared: field(body, 'is_shared') === 'true',
        }
        const form = parseForm(CreateTeamBody, input, body, TEAM_LABELS)
        if (!form.ok) {
          const teams = (await listTeamsOf(db, auth.user.id)).map(teamView)
          return htmlResponse(<TeamsPage ctx={ctx} teams={teams} values={form.values} errors={form.errors} />, 422)
        }
        const team = await createTeam(db, auth.user.id, form.data)
        return seeOther(`/teams/${team.id}`, { cookies: [flashCookie('team_created')] })
      }),
    )
    .get(
      '/teams/:id',
      authedPage(deps, async ({ auth, ctx, params, url }) => {
        const teamId = pathId(params.id)
        const again = await startAgainValues(deps, teamId, url.searchParams.get('again'))
        return htmlResponse(await teamPage(deps, ctx, auth.user.id, teamId, again ? { start_form: { values: again } } : {}, url.searchParams.get('cursor')))
      }),
    )
    .post(
      '/teams/:id/invite',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        await requireTeam(db, auth.user.id, teamId, 'manage')
        const form = parseForm(InviteForm, { username: field(body, 'username'), role: field(body, 'role') }, body, INVITE_LABELS)
        const invalid = (errors: Record<string, string>) =>
          teamPageWithErrors(deps, ctx, auth.user.id, teamId, { invite_form: { values: formValuesOf(body), errors } })
        if (!form.ok) return invalid(form.errors)
        const login = form.data.username
        const invitee = await findUserByNameOrEmail(db, login.includes('@') ? { email: login.toLowerCase() } : { username: login })
        if (!invitee) return invalid({ username: 'No user has that username or email.' })
        if (!(await addMember(db, teamId, invitee, form.data.role))) return invalid({ username: 'That user is already in this team.' })
        return seeOther(`/teams/${teamId}`, { cookies: [flashCookie('member_invited')] })
      }),
    )
    .post(
      '/teams/:id/members/:user_id/role',
      authedPage(deps, async ({ auth, params, body }) => {
        const teamId = pathId(params.id)
        const userId = pathId(params.user_id)
        await requireTeam(db, auth.user.id, teamId, 'manage')
        const form = RoleForm.safeParse({ role: field(body, 'role') })
        if (!form.success) throw new ConflictError('Choose member or viewer.')
        if (!(await setMemberRole(db, teamId, userId, form.data.role))) throw new NotFoundError('That user is not a member of this team.')
        return seeOther(`/teams/${teamId}`, { cookies: [flashCookie('role_changed')] })
      }),
    )
    .post(
      '/teams/:id/members/:user_id/remove',
      authedPage(deps, async ({ auth, ctx, params, body }) => {
        const teamId = pathId(params.id)
        const userId = pathId(params.user_id)
        const leaving = userId === auth.user.id
        const role = await requireTeam(db, auth.user.id, teamId, leaving ? 'read' : 'manage')
        if (leaving && role === 'owner') throw new ConflictError('The owner cannot leave the team.')
        const target = leaving ? role : (await listMembers(db, teamId)).find((m) => m.user_id === userId)?.role
        if (target === undefined) throw new NotFoundError('That user is not a member of this team.')
        if (target === 'owner') throw new ForbiddenError('The owner cannot be removed.')
        if (!isConfirmed(body)) {
          const team = await getTeam(db, teamId, role)
          const teamName = team?.name ?? 'this team'
          const username = leaving ? auth.user.username : (await listMembers(db, teamId)).find((m) => m.user_id === userId)?.username
          return htmlResponse(
            <ConfirmActionPage
              ctx={ctx}
              title={leaving ? 'Leave this team?' : `Remove ${username ?? 'this member'}?`}
              message={
                leaving
                  ? `You lose access to “${teamName}” and its sessions. An owner can invite you again.`
                  : `${username ?? 'This member'} loses access to “${teamName}” and its sessions. You can invite them again.`
              }
              action={paths.memberRemove(teamId, userId)}
              confirm_label={leaving ? 'Leave team' : 'Remove member'}
              back_href={paths.team(teamId)}
              back_label="Go back"
              danger
            />,
          )
        }
        await removeMember(db, teamId, userId)
        return leaving ? seeOther('/teams', { cookies: [flashCookie('left_team')] }) : seeOther(`/teams/${teamId}`, { cookies: [flashCookie('member_removed')] })
      }),
    )
}

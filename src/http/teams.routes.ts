import { Elysia } from 'elysia'
import { z } from 'zod'
import { findUserByNameOrEmail } from '../auth/index.ts'
import {
  activeSessionIds,
  addMember,
  CreateTeamBody,
  createTeam,
  deleteTeam,
  getTeam,
  InviteBody,
  listMembers,
  listTeamsOf,
  removeMember,
  UpdateTeamBody,
  updateTeam,
} from '../teams/index.ts'
import { IdParams, IdString } from '../validation/index.ts'
import { requireTeam } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { ConflictError, ForbiddenError, NotFoundError } from './errors.ts'

const MemberParams = z.strictObject({ id: IdString, user_id: IdString })

/** `/api/teams`: teams and membership. Access is decided by `requireTeam` (access.ts). */
export function teamsRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/teams', detail: { tags: ['teams'] } })
    .use(authGuard(deps))
    .post(
      '',
      async ({ user, body, set }) => {
        set.status = 201
        return { team: await createTeam(db, user.id, body) }
      },
      { auth: true, body: CreateTeamBody, detail: { summary: 'Create a team; the creator becomes its owner' } },
    )
    .get('', async ({ user }) => listTeamsOf(db, user.id), { auth: true, detail: { summary: 'Teams the caller owns or belongs to' } })
    .get(
      '/:id',
      async ({ user, params }) => {
        const role = await requireTeam(db, user.id, params.id, 'read')
        const team = await getTeam(db, params.id, role)
        if (!team) throw new NotFoundError('Team not found.')
        return { team, members: await listMembers(db, params.id) }
      },
      { auth: true, params: IdParams, detail: { summary: 'A team and its members' } },
    )
    .put(
      '/:id',
      async ({ user, params, body }) => {
        const role = await requireTeam(db, user.id, params.id, 'manage')
        // A personal team has only its owner: members must go first (the settings page asks, then removes them).
        if (body.is_shared === false && (await listMembers(db, params.id)).length > 1) throw new ConflictError('The team has members: remove them before making it personal.')
        const team = await updateTeam(db, params.id, body, role)
        if (!team) throw new NotFoundError('Team not found.')
        return { team }
      },
      { auth: true, params: IdParams, body: UpdateTeamBody, detail: { summary: 'Rename or describe a team (owner)' } },
    )
    .delete(
      '/:id',
      async ({ user, params, set }) => {
        await requireTeam(db, user.id, params.id, 'manage')
        // Stop running agents before their rows go.
        for (const sessionId of await activeSessionIds(db, params.id)) await deps.sessionControl.cancel(sessionId)
        if (!(await deleteTeam(db, params.id))) throw new NotFoundError('Team not found.')
        set.status = 204
      },
      { auth: true, params: IdParams, detail: { summary: 'Delete a team with its sessions and their records (owner)' } },
    )
    .post(
      '/:id/invite',
      async ({ user, params, body, set }) => {
        await requireTeam(db, user.id, params.id, 'manage')
        const invitee = await findUserByNameOrEmail(db, { username: body.username, email: body.email })
        if (!invitee) throw new NotFoundError('No user with that username or email.')
        const member = await addMember(db, params.id, invitee, body.role)
        if (!member) throw new ConflictError('That user is already a member of this team.')
        set.status = 201
        return { member }
      },
      { auth: true, params: IdParams, body: InviteBody, detail: { summary: 'Add a member or viewer (owner)' } },
    )
    .delete(
      '/:id/members/:user_id',
      async ({ user, params, set }) => {
        const leaving = params.user_id === user.id
        const role = await requireTeam(db, user.id, params.id, leaving ? 'read' : 'manage')
        if (leaving && role === 'owner') throw new ConflictError('The owner cannot leave the team; delete the team instead.')
        const target = leaving ? role : (await listMembers(db, params.id)).find((m) => m.user_id === params.user_id)?.role
        if (target === undefined) throw new NotFoundError('That user is not a member of this team.')
        if (target === 'owner') throw new ForbiddenError('The owner cannot be removed.')
        if (!(await removeMember(db, params.id, params.user_id))) throw new NotFoundError('That user is not a member of this team.')
        set.status = 204
      },
      { auth: true, params: MemberParams, detail: { summary: 'Remove a member (owner), or leave a team' } },
    )
}

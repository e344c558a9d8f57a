import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database, Team, TeamRole } from '../db/index.ts'
import type { CreateTeamInput, UpdateTeamInput } from './team.schemas.ts'
import { type TeamSettings, teamSettingsColumns, teamSettingsOf } from './team-settings.ts'

/** A team as the API shows it, with the caller's role. */
export interface TeamView {
  id: number
  name: string
  description: string | null
  owner_id: number
  is_shared: boolean
  created_at: Date
  updated_at: Date
  role: TeamRole
  /** The defaults of the team's new sessions (API.md `team.settings`). */
  settings: TeamSettings
}

/** A member as the API shows it. */
export interface TeamMember {
  user_id: number
  username: string
  role: TeamRole
  joined_at: Date
}

function view(team: Team, role: TeamRole): TeamView {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    owner_id: team.owner_id,
    is_shared: team.is_shared,
    created_at: team.created_at,
    updated_at: team.updated_at,
    role,
    settings: teamSettingsOf(team),
  }
}

/** Creates a team and makes `ownerId` its owner member, in one transaction. */
export async function createTeam(db: Kysely<Database>, ownerId: number, input: CreateTeamInput): Promise<TeamView> {
  return db.transaction().execute(async (trx: Transaction<Database>) => {
    const team = await trx
      .insertInto('teams')
      .values({ name: input.name, description: input.description ?? null, is_shared: input.is_shared ?? false, owner_id: ownerId })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx.insertInto('team_memberships').values({ team_id: team.id, user_id: ownerId, role: 'owner' }).execute()
    return view(team, 'owner')
  })
}

/** The teams `userId` owns or belongs to, by name. */
export async function listTeamsOf(db: Kysely<Database>, userId: number): Promise<TeamView[]> {
  const rows = await db
    .selectFrom('teams')
    .leftJoin('team_memberships', (j) => j.onRef('team_memberships.team_id', '=', 'teams.id').on('team_memberships.user_id', '=', userId))
    .selectAll('teams')
    .select(sql<TeamRole>`case when teams.owner_id = ${userId} then 'owner' else team_memberships.role end`.as('role'))
    .where((eb) => eb.or([eb('teams.owner_id', '=', userId), eb('team_memberships.user_id', 'is not', null)]))
    .orderBy('teams.name')
    .orderBy('teams.id')
    .execute()
  return rows.map(({ role, ...team }) => view(team, role))
}

/** One team seen with `role`; null when it does not exist. */
export async function getTeam(db: Kysely<Database>, teamId: number, role: TeamRole): Promise<TeamView | null> {
  const team = await db.selectFrom('teams').selectAll().where('id', '=', teamId).executeTakeFirst()
  return team ? view(team, role) : null
}

/** The team's members, earliest first. */
export async function listMembers(db: Kysely<Database>, teamId: number): Promise<TeamMember[]> {
  return db
    .selectFrom('team_memberships')
    .innerJoin('users', 'users.id', 'team_memberships.user_id')
    .select(['team_memberships.user_id', 'users.username', 'team_memberships.role', 'team_memberships.joined_at'])
    .where('team_memberships.team_id', '=', teamId)
    .orderBy('team_memberships.joined_at')
    .orderBy('team_memberships.id')
    .execute()
}

/** Applies the given fields; bumps `updated_at`. Null when the team is gone. */
export async function updateTeam(db: Kysely<Database>, teamId: number, input: UpdateTeamInput, role: TeamRole): Promise<TeamView | null> {
  const team = await db
    .updateTable('teams')
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.is_shared !== undefined ? { is_shared: input.is_shared } : {}),
      ...(input.settings !== undefined ? teamSettingsColumns(input.settings) : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', teamId)
    .returningAll()
    .executeTakeFirst()
  return team ? view(team, role) : null
}

/** Deletes a team; its memberships, sessions, tasks, decisions and snapshots go with it (foreign keys cascade). */
export async function deleteTeam(db: Kysely<Database>, teamId: number): Promise<boolean> {
  const result = await db.deleteFrom('teams').where('id', '=', teamId).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Ids of the team's active sessions (to stop them before the team goes). */
export async function activeSessionIds(db: Kysely<Database>, teamId: number): Promise<number[]> {
  const rows = await db.selectFrom('execution_sessions').select('id').where('team_id', '=', teamId).where('status', '=', 'active').execute()
  return rows.map((r) => r.id)
}

/**
 * Adds a member; null when they already are one. A team with members is shared: adding one to a
 * personal team makes it shared, in the same transaction.
 */
export async function addMember(
  db: Kysely<Database>,
  teamId: number,
  user: { id: number; username: string },
  role: TeamRole,
): Promise<TeamMember | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('team_memberships')
      .values({ team_id: teamId, user_id: user.id, role })
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doNothing())
      .returning(['user_id', 'role', 'joined_at'])
      .executeTakeFirst()
    if (!row) return null
    await trx.updateTable('teams').set({ is_shared: true, updated_at: sql<Date>`now()` }).where('id', '=', teamId).where('is_shared', '=', false).execute()
    return { ...row, username: user.username }
  })
}

/** Makes a team personal again: every member but the owner is removed, in one transaction. Returns how many were removed. */
export async function unshareTeam(db: Kysely<Database>, teamId: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('team_memberships').where('team_id', '=', teamId).where('role', '<>', 'owner').executeTakeFirst()
    await trx.updateTable('teams').set({ is_shared: false, updated_at: sql<Date>`now()` }).where('id', '=', teamId).execute()
    return Number(removed.numDeletedRows)
  })
}

/** Removes a membership; false when there was none. */
export async function removeMember(db: Kysely<Database>, teamId: number, userId: number): Promise<boolean> {
  const result = await db.deleteFrom('team_memberships').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst()
  return result.numDeletedRows > 0n
}

/** Changes a member's role; false when they are not a member. Never touches the owner (the caller checks). */
export async function setMemberRole(db: Kysely<Database>, teamId: number, userId: number, role: 'member' | 'viewer'): Promise<boolean> {
  const result = await db
    .updateTable('team_memberships')
    .set({ role })
    .where('team_id', '=', teamId)
    .where('user_id', '=', userId)
    .where('role', '<>', 'owner')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

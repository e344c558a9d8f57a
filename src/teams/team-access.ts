import { type Kysely, sql } from 'kysely'
import type { AgentTask, Database, ExecutionSession, TeamRole } from '../db/index.ts'

const RANK: Record<TeamRole, number> = { viewer: 1, member: 2, owner: 3 }

/** What a team role may do: viewers read, members also start sessions and add decisions, owners also manage the team. */
export type TeamAction = 'read' | 'contribute' | 'manage'

const NEEDS: Record<TeamAction, TeamRole> = { read: 'viewer', contribute: 'member', manage: 'owner' }

/** True when `role` may do `action`. */
export function roleAllows(role: TeamRole, action: TeamAction): boolean {
  return RANK[role] >= RANK[NEEDS[action]]
}

// The caller's role in a team: the owner by `teams.owner_id`, anyone else by membership.
const roleExpr = (userId: number) =>
  sql<TeamRole>`case when teams.owner_id = ${userId} then 'owner' else team_memberships.role end`

/** The caller's role in team `teamId`, or null when they are not in it (or it does not exist). Read per request: no caching. */
export async function teamRoleOf(db: Kysely<Database>, userId: number, teamId: number): Promise<TeamRole | null> {
  const row = await db
    .selectFrom('teams')
    .leftJoin('team_memberships', (j) => j.onRef('team_memberships.team_id', '=', 'teams.id').on('team_memberships.user_id', '=', userId))
    .select(roleExpr(userId).as('role'))
    .where('teams.id', '=', teamId)
    .where((eb) => eb.or([eb('teams.owner_id', '=', userId), eb('team_memberships.user_id', 'is not', null)]))
    .executeTakeFirst()
  return row?.role ?? null
}

/** A session and the caller's role in its team; null when it does not exist or the caller is not in the team. */
export async function sessionAccessOf(
  db: Kysely<Database>,
  userId: number,
  sessionId: number,
): Promise<{ session: ExecutionSession; role: TeamRole } | null> {
  const row = await db
    .selectFrom('execution_sessions')
    .innerJoin('teams', 'teams.id', 'execution_sessions.team_id')
    .leftJoin('team_memberships', (j) => j.onRef('team_memberships.team_id', '=', 'teams.id').on('team_memberships.user_id', '=', userId))
    .selectAll('execution_sessions')
    .select(roleExpr(userId).as('access_role'))
    .where('execution_sessions.id', '=', sessionId)
    .where((eb) => eb.or([eb('teams.owner_id', '=', userId), eb('team_memberships.user_id', 'is not', null)]))
    .executeTakeFirst()
  if (!row) return null
  const { access_role, ...session } = row
  return { session, role: access_role }
}

/** A task and the caller's role in its session's team; null when it does not exist or the caller is not in the team. */
export async function taskAccessOf(
  db: Kysely<Database>,
  userId: number,
  taskId: number,
): Promise<{ task: AgentTask; role: TeamRole } | null> {
  const row = await db
    .selectFrom('agent_tasks')
    .innerJoin('execution_sessions', 'execution_sessions.id', 'agent_tasks.session_id')
    .innerJoin('teams', 'teams.id', 'execution_sessions.team_id')
    .leftJoin('team_memberships', (j) => j.onRef('team_memberships.team_id', '=', 'teams.id').on('team_memberships.user_id', '=', userId))
    .selectAll('agent_tasks')
    .select(roleExpr(userId).as('access_role'))
    .where('agent_tasks.id', '=', taskId)
    .where((eb) => eb.or([eb('teams.owner_id', '=', userId), eb('team_memberships.user_id', 'is not', null)]))
    .executeTakeFirst()
  if (!row) return null
  const { access_role, ...task } = row
  return { task, role: access_role }
}

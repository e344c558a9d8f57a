import type { Kysely } from 'kysely'
import type { AgentTask, Database, ExecutionSession, TeamRole } from '../db/index.ts'
import { roleAllows, sessionAccessOf, type TeamAction, taskAccessOf, teamRoleOf } from '../teams/index.ts'
import { ForbiddenError, NotFoundError } from './errors.ts'

// The one place access is decided: something the caller may not see is 404 (ids do not
// leak); something they may see but not do is 403.
function check(role: TeamRole | null, action: TeamAction, what: string): TeamRole {
  if (role === null) throw new NotFoundError(`${what} not found.`)
  if (!roleAllows(role, action)) throw new ForbiddenError(`Your role in this team (${role}) does not allow that.`)
  return role
}

/** The caller's role in the team, when it allows `action`; throws 404 / 403 otherwise. */
export async function requireTeam(db: Kysely<Database>, userId: number, teamId: number, action: TeamAction): Promise<TeamRole> {
  return check(await teamRoleOf(db, userId, teamId), action, 'Team')
}

/** The session and the caller's role in its team, when it allows `action`; throws 404 / 403 otherwise. */
export async function requireSession(
  db: Kysely<Database>,
  userId: number,
  sessionId: number,
  action: TeamAction,
): Promise<{ session: ExecutionSession; role: TeamRole }> {
  const found = await sessionAccessOf(db, userId, sessionId)
  check(found?.role ?? null, action, 'Session')
  return found as { session: ExecutionSession; role: TeamRole }
}

/** The task and the caller's role in its team, when it allows `action`; throws 404 / 403 otherwise. */
export async function requireTask(
  db: Kysely<Database>,
  userId: number,
  taskId: number,
  action: TeamAction,
): Promise<{ task: AgentTask; role: TeamRole }> {
  const found = await taskAccessOf(db, userId, taskId)
  check(found?.role ?? null, action, 'Task')
  return found as { task: AgentTask; role: TeamRole }
}

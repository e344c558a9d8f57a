import { type Kysely, sql, type Transaction } from 'kysely'
import { AGENT_ROLES, type AgentRole, getRole } from '../agents/index.ts'
import type { Database, ExecutionSession } from '../db/index.ts'
import type { CreateSessionInput } from './session.schemas.ts'

/** A task row as {@link insertSession} created it. */
export interface NewTaskRow {
  id: number
  agent_role: AgentRole
}

/**
 * Inserts an active session and one pending task per chosen role (all seven by default, in
 * plan order) in the caller's transaction, and returns both as inserted, tasks in id order.
 * Handing the session to its supervisor is the caller's (src/orchestration `createSession`).
 */
export async function insertSession(
  trx: Transaction<Database>,
  userId: number,
  input: CreateSessionInput,
): Promise<{ session: ExecutionSession; tasks: NewTaskRow[] }> {
  const chosen = new Set<AgentRole>(input.agents ?? AGENT_ROLES)
  const roles = AGENT_ROLES.filter((r) => chosen.has(r))
  const description = input.description ?? ''
  const plan = input.plan ?? 'dag'
  // The team's settings are the defaults; read in the same transaction as the insert.
  const team = await trx
    .selectFrom('teams')
    .select(['review', 'review_below_confidence', 'session_budget_usd'])
    .where('id', '=', input.team_id)
    .executeTakeFirstOrThrow()
  const session = await trx
    .insertInto('execution_sessions')
    .values({
      team_id: input.team_id,
      user_id: userId,
      feature_name: input.feature_name,
      description,
      plan,
      status: 'active',
      started_at: sql<Date>`now()`,
      review: JSON.stringify(input.review ?? team.review ?? 'none'),
      review_below_confidence: team.review_below_confidence,
      budget_usd: input.budget_usd === undefined ? team.session_budget_usd : input.budget_usd,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const inputData = JSON.stringify({ feature_name: input.feature_name, description, plan })
  const rows = await trx
    .insertInto('agent_tasks')
    .values(
      roles.map((role) => ({
        session_id: session.id,
        agent_role: role,
        task_description: `${getRole(role).displayName}: contribute to "${input.feature_name}"`,
        input_data: inputData,
        status: 'pending' as const,
      })),
    )
    .returning(['id', 'agent_role'])
    .execute()
  const tasks = rows.map((r) => ({ id: r.id, agent_role: r.agent_role as AgentRole })).sort((a, b) => a.id - b.id)
  return { session, tasks }
}

/** One page of sessions, newest first, and the cursor of the next page (null on the last). */
export interface SessionPage {
  sessions: ExecutionSession[]
  next_cursor: string | null
}

/** Encodes the id a page continues after; opaque to clients. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`s${lastId}`).toString('base64url')
}

/** The id a cursor continues after; null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  const text = Buffer.from(cursor, 'base64url').toString()
  const match = /^s([1-9][0-9]{0,14})$/.exec(text)
  return match ? Number(match[1]) : null
}

/** Sessions in the teams `userId` belongs to, newest first, filtered and paged by keyset on id. */
export async function listSessions(
  db: Kysely<Database>,
  userId: number,
  filter: { team_id?: number | undefined; status?: ExecutionSession['status'] | undefined; limit: number; after?: number | undefined },
): Promise<SessionPage> {
  let query = db
    .selectFrom('execution_sessions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('team_id', 'in', eb.selectFrom('team_memberships').select('team_id').where('user_id', '=', userId)),
        eb('team_id', 'in', eb.selectFrom('teams').select('id').where('owner_id', '=', userId)),
      ]),
    )
  if (filter.team_id !== undefined) query = query.where('team_id', '=', filter.team_id)
  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  if (filter.after !== undefined) query = query.where('id', '<', filter.after)
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute()
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return { sessions: page, next_cursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null }
}

/** A session by id; null when there is none. */
export async function getSession(db: Kysely<Database>, sessionId: number): Promise<ExecutionSession | null> {
  return (await db.selectFrom('execution_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst()) ?? null
}

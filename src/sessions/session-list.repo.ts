import type { Kysely } from 'kysely'
import type { Database, ExecutionSession } from '../db/index.ts'
import { encodeCursor } from './session.repo.ts'

/** What a session list shows: the user's teams, narrowed by the optional filters, one keyset page. */
export interface SessionListFilter {
  /** The teams the viewer may read; an empty list finds nothing. */
  team_ids: number[]
  status?: ExecutionSession['status'] | undefined
  plan?: ExecutionSession['plan'] | undefined
  /** The user who started the session. */
  started_by?: number | undefined
  /** Part of the feature name, matched case-insensitively as plain text. */
  q?: string | undefined
  limit: number
  /** Continue after this session id (from a decoded cursor). */
  after?: number | undefined
}

/** A listed session with the username of whoever started it. */
export interface SessionListRow extends ExecutionSession {
  started_by: string
}

/** One page of a session list, newest first; `next_cursor` is null on the last page. */
export interface SessionListPage {
  sessions: SessionListRow[]
  next_cursor: string | null
}

/** `text` with LIKE's wildcards and escape character escaped, so it matches only itself. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/**
 * Sessions of `filter.team_ids`, newest first, narrowed by status, plan, starter and a feature-name
 * search, paged by keyset on id (`id < after`), so a deep page costs what the first one does.
 */
export async function listSessionPage(db: Kysely<Database>, filter: SessionListFilter): Promise<SessionListPage> {
  if (filter.team_ids.length === 0) return { sessions: [], next_cursor: null }
  let query = db
    .selectFrom('execution_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select('u.username as started_by')
    .where('s.team_id', 'in', filter.team_ids)
  if (filter.status !== undefined) query = query.where('s.status', '=', filter.status)
  if (filter.plan !== undefined) query = query.where('s.plan', '=', filter.plan)
  if (filter.started_by !== undefined) query = query.where('s.user_id', '=', filter.started_by)
  const q = filter.q?.trim()
  if (q) query = query.where('s.feature_name', 'ilike', `%${likeLiteral(q)}%`)
  if (filter.after !== undefined) query = query.where('s.id', '<', filter.after)
  const rows = await query.orderBy('s.id', 'desc').limit(filter.limit + 1).execute()
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return { sessions: page, next_cursor: rows.length > filter.limit && last ? encodeCursor(last.id) : null }
}

/** A user who may have started sessions in the listed teams (a filter option). */
export interface SessionStarter {
  id: number
  username: string
}

/** The owners and members of `teamIds`, by username: who can have started their sessions. */
export async function listSessionStarters(db: Kysely<Database>, teamIds: number[]): Promise<SessionStarter[]> {
  if (teamIds.length === 0) return []
  return db
    .selectFrom('users')
    .select(['id', 'username'])
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('teams').select('owner_id').where('id', 'in', teamIds)),
        eb('id', 'in', eb.selectFrom('team_memberships').select('user_id').where('team_id', 'in', teamIds)),
      ]),
    )
    .orderBy('username')
    .execute()
}

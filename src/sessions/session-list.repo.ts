import { type Kysely, type RawBuilder, sql } from 'kysely'
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
 * The page's query: sessions where `teams` holds, with their starter's username, narrowed by the
 * filters, newest first, one row more than the page (to tell whether another page follows).
 */
function sessionListQuery(db: Kysely<Database>, teams: RawBuilder<boolean>, filter: Omit<SessionListFilter, 'team_ids'>) {
  let query = db
    .selectFrom('execution_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('s')
    .select('u.username as started_by')
    .where(teams)
  if (filter.status !== undefined) query = query.where('s.status', '=', filter.status)
  if (filter.plan !== undefined) query = query.where('s.plan', '=', filter.plan)
  if (filter.started_by !== undefined) query = query.where('s.user_id', '=', filter.started_by)
  const q = filter.q?.trim()
  if (q) query = query.where('s.feature_name', 'ilike', `%${likeLiteral(q)}%`)
  if (filter.after !== undefined) query = query.where('s.id', '<', filter.after)
  return query.orderBy('s.id', 'desc').limit(filter.limit + 1)
}

/**
 * Sessions of `filter.team_ids`, newest first, narrowed by status, plan, starter and a feature-name
 * search, paged by keyset on id (`id < after`), so a deep page costs what the first one does.
 */
export async function listSessionPage(db: Kysely<Database>, filter: SessionListFilter): Promise<SessionListPage> {
  if (filter.team_ids.length === 0) return { sessions: [], next_cursor: null }
  const rows = await sessionListQuery(db, sql<boolean>`s.team_id in (${sql.join(filter.team_ids)})`, filter).execute()
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

/** What the `/sessions` page reads: the viewer's teams (id and name, by name), who can have started their sessions, and one page. */
export interface SessionListPageRows {
  teams: { id: number; name: string }[]
  starters: SessionStarter[]
  page: SessionListPage
}

/**
 * The `/sessions` page of `userId` in one statement: their teams, the starters of those teams and
 * one keyset page of the sessions of those teams (or of `team` alone, when it is one of them: a
 * team outside them finds nothing rather than telling whether it exists), filtered as
 * {@link listSessionPage} filters. The page's query is the same; its rows come back as JSON.
 */
export async function readSessionListPage(
  db: Kysely<Database>,
  userId: number,
  filter: Omit<SessionListFilter, 'team_ids'> & { team?: number | undefined },
): Promise<SessionListPageRows> {
  const myTeams = sql`select tm.id from teams tm where tm.owner_id = ${userId} union select m.team_id from team_memberships m where m.user_id = ${userId}`
  // An array computed once (an init plan): the planner keeps the backward walk on the id, as with a literal list.
  const teams = filter.team !== undefined ? sql<boolean>`s.team_id = any(array(${myTeams})) and s.team_id = ${filter.team}` : sql<boolean>`s.team_id = any(array(${myTeams}))`
  const page = sessionListQuery(db, teams, filter)
  const { rows } = await sql<{ teams: { id: number; name: string }[]; starters: SessionStarter[]; sessions: Record<string, unknown>[] }>`
    select
      (select coalesce(json_agg(json_build_object('id', t.id, 'name', t.name) order by t.name, t.id), '[]')
         from teams t where t.id in (${myTeams})) as teams,
      (select coalesce(json_agg(json_build_object('id', u.id, 'username', u.username) order by u.username), '[]')
         from users u
        where u.id in (select owner_id from teams where id in (${myTeams}))
           or u.id in (select user_id from team_memberships where team_id in (${myTeams}))) as starters,
      (select coalesce(json_agg(p order by p.id desc), '[]') from (${page}) p) as sessions`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('readSessionListPage: no row')
  const all = row.sessions.map(
    (s) =>
      ({
        ...s,
        started_at: s.started_at === null ? null : new Date(s.started_at as string),
        ended_at: s.ended_at === null ? null : new Date(s.ended_at as string),
        created_at: new Date(s.created_at as string),
      }) as SessionListRow,
  )
  const sessions = all.slice(0, filter.limit)
  const last = sessions.at(-1)
  return { teams: row.teams, starters: row.starters, page: { sessions, next_cursor: all.length > filter.limit && last ? encodeCursor(last.id) : null } }
}

import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely'
import type { Database, SessionDecision } from '../db/index.ts'
import type { SessionControl } from '../orchestration/session-control.ts'
import type { DecisionJson, DecisionSource } from './session-json.ts'
import type { AddDecisionInput } from './session.schemas.ts'

/** Adds `userId`'s decision to a session's journal and tells the supervisor, in one transaction. */
export async function addDecision(
  db: Kysely<Database>,
  control: SessionControl,
  sessionId: number,
  userId: number,
  input: AddDecisionInput,
): Promise<SessionDecision> {
  const { decision, after } = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const decision = await trx
      .insertInto('session_decisions')
      .values({ session_id: sessionId, user_id: userId, decision_text: input.decision_text, category: input.category, confidence: input.confidence })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { decision, after: await control.decisionAdded(trx, decision) }
  })
  await after?.()
  return decision
}

/** What to keep of a journal; every part optional. */
export interface JournalFilter {
  /** A web-style full-text query over the decision and its rationale (`websearch_to_tsquery`, English). */
  q?: string | undefined
  /** Matched case-insensitively. */
  category?: string | undefined
  source?: DecisionSource | undefined
}

interface JournalRow {
  id: number | string
  session_id: number | string
  decision_text: string
  rationale: string | null
  category: string | null
  confidence: string | null
  source: DecisionSource
  agent_role: string | null
  task_id: number | string | null
  author: string | null
  created_at: Date
}

/**
 * Every journal entry of the sessions `scope` selects (a subquery of session ids): the members'
 * decisions with their author, and the agents' with their role, task and the output's confidence
 * in bands (≥ 0.75 high, ≥ 0.5 medium, else low), and the reviewers' verdicts (category `review`,
 * the comment as rationale, the reviewer as author).
 */
export function journalUnion(scope: RawBuilder<unknown>): RawBuilder<JournalRow> {
  return sql<JournalRow>`
    select sd.id, sd.session_id, sd.decision_text, null::text as rationale, sd.category, sd.confidence,
           'user'::text as source, null::varchar as agent_role, null::bigint as task_id, u.username::text as author, sd.created_at
      from session_decisions sd left join users u on u.id = sd.user_id
     where sd.session_id in (${scope})
    union all
    select td.id, t.session_id, td.decision_text, td.rationale, td.category,
           case when jsonb_typeof(t.output_data->'confidence') = 'number' then
             case when (t.output_data->>'confidence')::float8 >= 0.75 then 'high'
                  when (t.output_data->>'confidence')::float8 >= 0.5 then 'medium' else 'low' end end,
           'agent', t.agent_role, t.id, null, td.created_at
      from task_decisions td join agent_tasks t on t.id = td.agent_task_id
     where t.session_id in (${scope})
    union all
    select r.id, t.session_id,
           case r.verdict when 'approve' then 'Approved' when 'changes' then 'Requested changes to' else 'Rejected' end
             || ' the ' || replace(t.agent_role, '_', ' ') || ' output (attempt ' || r.attempt || ')',
           r.comment, 'review', null, 'review', t.agent_role, t.id, r.reviewer::text, r.created_at
      from task_reviews r join agent_tasks t on t.id = r.task_id
     where t.session_id in (${scope})`
}

function filterSql(filter: JournalFilter): { where: RawBuilder<boolean>; q: string | null } {
  const q = filter.q?.trim() || null
  const category = filter.category?.trim().toLowerCase() || null
  const source = filter.source ?? null
  const where = sql<boolean>`(${category}::text is null or lower(j.category) = ${category}::text)
      and (${source}::text is null or j.source = ${source}::text)
      and (${q}::text is null or to_tsvector('english', j.decision_text || ' ' || coalesce(j.rationale, '')) @@ websearch_to_tsquery('english', ${q}::text))`
  return { where, q }
}

function decisionJson(r: JournalRow): DecisionJson {
  return {
    id: Number(r.id),
    session_id: Number(r.session_id),
    decision_text: r.decision_text,
    rationale: r.rationale,
    category: r.category,
    confidence: r.confidence,
    source: r.source,
    agent_role: r.agent_role,
    task_id: r.task_id === null ? null : Number(r.task_id),
    author: r.author,
    created_at: r.created_at,
  }
}

/**
 * A session's whole journal (members', agents' and reviewers' decisions) in API.md's `decision`
 * shape, oldest first (ties by source, then id: a stable order); with `q`, best match first.
 */
export async function listDecisions(db: Kysely<Database>, sessionId: number, filter: JournalFilter = {}): Promise<DecisionJson[]> {
  const { where, q } = filterSql(filter)
  const rank = sql`case when ${q}::text is null then 0
      else ts_rank(to_tsvector('english', j.decision_text || ' ' || coalesce(j.rationale, '')), websearch_to_tsquery('english', ${q}::text)) end`
  const { rows } = await sql<JournalRow>`
    select j.* from (${journalUnion(sql`${sessionId}::bigint`)}) j
     where ${where}
     order by ${rank} desc, j.created_at, j.source, j.id`.execute(db)
  return rows.map(decisionJson)
}

/** One page of decisions across teams, and the cursor of the next page (null on the last). */
export interface DecisionPage {
  decisions: DecisionJson[]
  next_cursor: string | null
}

/** Encodes where a page of decisions continues; opaque to clients. */
export function encodeDecisionCursor(offset: number): string {
  return Buffer.from(`d${offset}`).toString('base64url')
}

/** The offset a decision cursor continues at; null when it is not one of ours. */
export function decodeDecisionCursor(cursor: string): number | null {
  const match = /^d([1-9][0-9]{0,8})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return match ? Number(match[1]) : null
}

/**
 * Decisions of every session in the teams `userId` owns or belongs to (optionally one team),
 * newest first, or best match first with `q`; paged by offset (ties broken by source and id, so
 * pages are stable while nothing is added).
 */
export async function searchJournal(
  db: Kysely<Database>,
  userId: number,
  filter: JournalFilter & { team_id?: number | undefined; limit: number; offset: number },
): Promise<DecisionPage> {
  const teamId = filter.team_id ?? null
  const scope = sql`select s.id from execution_sessions s
     where (s.team_id in (select id from teams where owner_id = ${userId})
            or s.team_id in (select team_id from team_memberships where user_id = ${userId}))
       and (${teamId}::bigint is null or s.team_id = ${teamId}::bigint)`
  const { where, q } = filterSql(filter)
  const rank = sql`case when ${q}::text is null then 0
      else ts_rank(to_tsvector('english', j.decision_text || ' ' || coalesce(j.rationale, '')), websearch_to_tsquery('english', ${q}::text)) end`
  const { rows } = await sql<JournalRow>`
    select j.* from (${journalUnion(scope)}) j
     where ${where}
     order by ${rank} desc, j.created_at desc, j.source, j.id desc
     limit ${filter.limit + 1} offset ${filter.offset}`.execute(db)
  const page = rows.slice(0, filter.limit).map(decisionJson)
  return { decisions: page, next_cursor: rows.length > filter.limit ? encodeDecisionCursor(filter.offset + filter.limit) : null }
}

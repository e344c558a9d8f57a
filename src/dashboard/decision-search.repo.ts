import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'

/** One decision found: from a session's journal or from an agent, with its session and team. */
export interface DecisionHit {
  id: number
  source: 'journal' | 'agent'
  session_id: number
  feature_name: string
  team_name: string
  decision_text: string
  rationale: string | null
  category: string | null
  confidence: string | null
  agent_role: string | null
  created_at: Date
}

/** What to search for; both optional. */
export interface DecisionSearch {
  q?: string | undefined
  category?: string | undefined
  limit: number
  /** Hits to skip (a later page of the same search). */
  offset?: number | undefined
}

/**
 * Journal and agent decisions in the teams `userId` belongs to. With `q`, only those matching the
 * web-style full-text query (`websearch_to_tsquery`, English), best first; otherwise newest first.
 * `category` matches case-insensitively.
 */
export async function searchDecisions(db: Kysely<Database>, userId: number, search: DecisionSearch): Promise<DecisionHit[]> {
  const q = search.q?.trim() || null
  const category = search.category?.trim().toLowerCase() || null
  const { rows } = await sql<DecisionHit & { rank: unknown }>`
    with scope as (
      select id as team_id from teams where owner_id = ${userId}
      union select team_id from team_memberships where user_id = ${userId}
    ),
    hits as (
      select 'journal' as source, sd.id, sd.session_id, s.feature_name, tm.name as team_name, sd.decision_text,
             null::text as rationale, sd.category, sd.confidence, null::varchar as agent_role, sd.created_at
        from session_decisions sd join execution_sessions s on s.id = sd.session_id join teams tm on tm.id = s.team_id
       where s.team_id in (select team_id from scope)
      union all
      select 'agent', td.id, t.session_id, s.feature_name, tm.name, td.decision_text,
             td.rationale, td.category, null::varchar, t.agent_role, td.created_at
        from task_decisions td join agent_tasks t on t.id = td.agent_task_id
        join execution_sessions s on s.id = t.session_id join teams tm on tm.id = s.team_id
       where s.team_id in (select team_id from scope)
    )
    select *, case when ${q}::text is null then 0
                   else ts_rank(to_tsvector('english', decision_text || ' ' || coalesce(rationale, '')), websearch_to_tsquery('english', ${q}::text)) end as rank
    from hits
    where (${category}::text is null or lower(category) = ${category}::text)
      and (${q}::text is null or to_tsvector('english', decision_text || ' ' || coalesce(rationale, '')) @@ websearch_to_tsquery('english', ${q}::text))
    order by rank desc, created_at desc, id desc
    limit ${search.limit} offset ${search.offset ?? 0}`.execute(db)
  return rows.map(({ rank: _rank, ...r }) => ({ ...r, id: Number(r.id), session_id: Number(r.session_id) }))
}

/** The decision categories used in the teams `userId` belongs to, lowercased, most used first. */
export async function decisionCategoryNames(db: Kysely<Database>, userId: number, limit: number): Promise<string[]> {
  const { rows } = await sql<{ category: string }>`
    with scope as (
      select id as team_id from teams where owner_id = ${userId}
      union select team_id from team_memberships where user_id = ${userId}
    ),
    cats as (
      select lower(trim(sd.category)) as category from session_decisions sd join execution_sessions s on s.id = sd.session_id
       where s.team_id in (select team_id from scope) and nullif(trim(sd.category), '') is not null
      union all
      select lower(trim(td.category)) from task_decisions td join agent_tasks t on t.id = td.agent_task_id
        join execution_sessions s on s.id = t.session_id
       where s.team_id in (select team_id from scope) and nullif(trim(td.category), '') is not null
    )
    select category from cats group by category order by count(*) desc, category limit ${limit}`.execute(db)
  return rows.map((r) => r.category)
}

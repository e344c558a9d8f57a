/**
 * A session's whole page in one statement: the caller's access, the session row, its team, tasks,
 * agents' decisions, journal, findings, verdicts, retries, streamed analyses, lineage and money,
 * read in one snapshot. The collections come back as JSON (one row, one round trip); their
 * timestamps are turned back into Dates here, so callers get the same rows the separate reads gave.
 * Each text is compiled once (no query builder per request) and runs as a named prepared statement.
 */
import { CompiledQuery, type Kysely, sql } from 'kysely'
import type { AgentTask, Database, ExecutionSession, Team, TaskDecision, TeamRole } from '../db/index.ts'
import { journalUnion } from './decision.repo.ts'
import type { FindingJson } from './findings.repo.ts'
import type { LineageRow } from './fork.repo.ts'
import type { SessionReview } from './review.repo.ts'
import type { DecisionJson } from './session-json.ts'

/** The session (when the caller may see it) and everything its API object shows. */
export interface SessionDetailRows {
  session: ExecutionSession
  role: TeamRole
  tasks: AgentTask[]
  decisions: DecisionJson[]
}

/** The session page's rows, as of one snapshot. */
export interface SessionPageRows extends SessionDetailRows {
  team: Team
  task_decisions: Map<number, TaskDecision[]>
  findings: FindingJson[]
  reviews: SessionReview[]
  retries: { task_id: number; at: string }[]
  /** The latest `task_progress` of each task: the attempt that streamed it and the analysis so far. */
  progress: { task_id: number; attempt: number; analysis: string }[]
  lineage: { parent: LineageRow | null; forks: LineageRow[] }
  budget: { spent_usd: number; reserved_usd: number }
  /** The username of whoever started the session (null once that account is gone). */
  started_by: string | null
}

// $1 the caller, $2 the session. The session's columns come as columns (typed by the driver); the rest as JSON.
const ACCESS = `from execution_sessions s
  join teams tm on tm.id = s.team_id
  left join team_memberships m on m.team_id = tm.id and m.user_id = $1
 where s.id = $2 and (tm.owner_id = $1 or m.user_id is not null)`

const ROLE = `case when tm.owner_id = $1 then 'owner' else m.role end as access_role`
const TASKS = `(select coalesce(json_agg(t order by t.id), '[]') from agent_tasks t where t.session_id = s.id) as tasks_json`

/** The journal, oldest first (ties by source, then id), as listDecisions orders it without a query. */
function journalJson(db: Kysely<Database>): string {
  const union = sql`(select coalesce(json_agg(j order by j.created_at, j.source, j.id), '[]') from (${journalUnion(sql.raw('s.id'))}) j) as journal_json`
  return union.compile(db).sql
}

function detailText(db: Kysely<Database>): string {
  return `select s.*, ${ROLE}, ${TASKS}, ${journalJson(db)} ${ACCESS}`
}

function pageText(db: Kysely<Database>): string {
  return `select s.*, ${ROLE}, to_json(tm) as team_json, ${TASKS}, ${journalJson(db)},
  (select coalesce(json_agg(d order by d.created_at, d.id), '[]')
     from task_decisions d join agent_tasks t on t.id = d.agent_task_id where t.session_id = s.id) as task_decisions_json,
  (select coalesce(json_agg(f order by f.id), '[]') from consistency_findings f where f.session_id = s.id) as findings_json,
  (select coalesce(json_agg(r order by r.id), '[]')
     from (select r.*, t.agent_role from task_reviews r join agent_tasks t on t.id = r.task_id where t.session_id = s.id) r) as reviews_json,
  (select coalesce(json_agg(json_build_object('task_id', e.data->>'task_id', 'at', e.at) order by e.seq), '[]')
     from session_events e where e.session_id = s.id and e.type = 'task_retrying') as retries_json,
  (select coalesce(json_agg(p), '[]') from (
     select distinct on (e.data->>'task_id') e.data->>'task_id' as task_id, e.data->>'attempt' as attempt, e.data->>'analysis' as analysis
       from session_events e
      where e.session_id = s.id and e.type = 'task_progress'
        and exists (select 1 from agent_tasks rt where rt.session_id = s.id and rt.status = 'running')
      order by e.data->>'task_id', e.seq desc) p) as progress_json,
  (select to_json(l) from (select id, feature_name, status, forked_from_role from execution_sessions where id = s.parent_id) l) as parent_json,
  (select coalesce(json_agg(l order by l.id), '[]')
     from (select id, feature_name, status, forked_from_role from execution_sessions where parent_id = s.id) l) as forks_json,
  (select coalesce(sum(coalesce(cost_usd, 0)), 0) from agent_tasks where session_id = s.id)::float8 as spent_usd,
  (select coalesce(sum(amount_usd), 0) from task_budget_reservations where session_id = s.id)::float8 as reserved_usd,
  (select u.username from users u where u.id = s.user_id) as started_by_username
  ${ACCESS}`
}

// Compiled on first use (the text depends only on the dialect), then reused with new parameters.
const texts = new WeakMap<Kysely<Database>, { detail: string; page: string }>()
function textsFor(db: Kysely<Database>): { detail: string; page: string } {
  let t = texts.get(db)
  if (!t) {
    t = { detail: detailText(db), page: pageText(db) }
    texts.set(db, t)
  }
  return t
}

type Json = Record<string, unknown>

/** A timestamp as JSON wrote it (`2026-03-02T09:00:00.123456+00:00`) → the Date the driver would have given (milliseconds, truncated). */
function date(v: unknown): Date {
  return new Date(v as string)
}
function dateOrNull(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(v as string)
}

function task(t: Json): AgentTask {
  return { ...t, started_at: dateOrNull(t.started_at), completed_at: dateOrNull(t.completed_at), retry_at: dateOrNull(t.retry_at), created_at: date(t.created_at) } as AgentTask
}

function decision(j: Json): DecisionJson {
  return {
    id: Number(j.id),
    session_id: Number(j.session_id),
    decision_text: j.decision_text as string,
    rationale: j.rationale as string | null,
    category: j.category as string | null,
    confidence: j.confidence as string | null,
    source: j.source as DecisionJson['source'],
    agent_role: j.agent_role as string | null,
    task_id: j.task_id === null ? null : Number(j.task_id),
    author: j.author as string | null,
    created_at: date(j.created_at),
  }
}

type Row = ExecutionSession & { access_role: TeamRole; tasks_json: Json[]; journal_json: Json[] }

function split(row: Row): SessionDetailRows {
  const { access_role, tasks_json, journal_json, ...rest } = row
  const session = rest as ExecutionSession
  return { session, role: access_role, tasks: tasks_json.map(task), decisions: journal_json.map(decision) }
}

/** A session with its tasks and journal, when `userId` may see it (else null): one statement. */
export async function readSessionDetail(db: Kysely<Database>, userId: number, sessionId: number): Promise<SessionDetailRows | null> {
  const { rows } = await db.executeQuery<Row>(CompiledQuery.raw(textsFor(db).detail, [userId, sessionId]))
  const row = rows[0]
  return row ? split(row) : null
}

type PageRow = Row & {
  team_json: Json
  task_decisions_json: Json[]
  findings_json: Json[]
  reviews_json: Json[]
  retries_json: { task_id: string; at: string }[]
  progress_json: { task_id: string; attempt: string | null; analysis: string | null }[]
  parent_json: LineageRow | null
  forks_json: LineageRow[]
  spent_usd: number
  reserved_usd: number
  started_by_username: string | null
}

/** Everything the session page shows, when `userId` may see the session (else null): one statement. */
export async function readSessionPage(db: Kysely<Database>, userId: number, sessionId: number): Promise<SessionPageRows | null> {
  const { rows } = await db.executeQuery<PageRow>(CompiledQuery.raw(textsFor(db).page, [userId, sessionId]))
  const row = rows[0]
  if (!row) return null
  const { team_json, task_decisions_json, findings_json, reviews_json, retries_json, progress_json, parent_json, forks_json, spent_usd, reserved_usd, started_by_username, ...detail } = row
  const byTask = new Map<number, TaskDecision[]>()
  for (const t of detail.tasks_json) byTask.set(Number(t.id), [])
  for (const d of task_decisions_json) byTask.get(Number(d.agent_task_id))?.push({ ...d, created_at: date(d.created_at) } as TaskDecision)
  return {
    ...split(detail as Row),
    team: { ...team_json, created_at: date(team_json.created_at), updated_at: date(team_json.updated_at) } as Team,
    task_decisions: byTask,
    findings: findings_json.map((f) => ({
      id: f.id as number,
      session_id: f.session_id as number,
      rule: f.rule as string,
      severity: f.severity as FindingJson['severity'],
      roles: Array.isArray(f.roles) ? (f.roles as string[]) : (JSON.parse(String(f.roles)) as string[]),
      message: f.message as string,
      status: f.status as FindingJson['status'],
      note: f.note as string | null,
      created_at: date(f.created_at),
      updated_at: date(f.updated_at),
    })),
    reviews: reviews_json.map((r) => ({
      id: r.id as number,
      task_id: r.task_id as number,
      attempt: r.attempt as number,
      reviewer_id: r.reviewer_id as number | null,
      reviewer: r.reviewer as string,
      verdict: r.verdict as SessionReview['verdict'],
      comment: r.comment as string | null,
      created_at: date(r.created_at),
      agent_role: r.agent_role as string,
    })),
    retries: retries_json.map((r) => ({ task_id: Number(r.task_id), at: date(r.at).toISOString() })),
    progress: progress_json.map((p) => ({ task_id: Number(p.task_id), attempt: Number(p.attempt), analysis: p.analysis ?? '' })),
    lineage: { parent: parent_json, forks: forks_json },
    budget: { spent_usd: Number(spent_usd ?? 0), reserved_usd: Number(reserved_usd ?? 0) },
    started_by: started_by_username,
  }
}

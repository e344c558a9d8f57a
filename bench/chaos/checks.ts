import { type Kysely, sql } from 'kysely'
import type { Database } from '../../src/db/index.ts'

/** A session the fault suite started, and how it should end. */
export interface Expected {
  id: number
  status: 'completed' | 'failed'
}

/** What the checks in PostgreSQL found for one fault. */
export interface CheckResult {
  sessions: number
  /** Ended as expected, with seven tasks each, every one finished (and all completed when the session completed). */
  completed: number
  /** Ended otherwise, with tasks missing or an event missing (a gap in its log). */
  lost: number
  /** Duplicated events, snapshots or decisions. */
  duplicated: number
  /** Still active, or with unfinished tasks, or runtime rows left behind (jobs, outbox rows, timers). */
  stuck: number
  /** One line per problem found. */
  problems: string[]
}

const ROLES_PER_SESSION = 7

/** Whether every started session has ended. */
export async function allEnded(db: Kysely<Database>, ids: number[]): Promise<boolean> {
  if (ids.length === 0) return true
  const row = await db.selectFrom('execution_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('id', 'in', ids).where('status', '=', 'active').executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

/** Runtime rows still waiting: jobs, outbox rows and timers. */
export async function leftovers(db: Kysely<Database>): Promise<{ jobs: number; outbox: number; timers: number }> {
  const { rows } = await sql<{ jobs: string; outbox: string; timers: string }>`select
    (select count(*) from actor_jobs) as jobs, (select count(*) from actor_outbox) as outbox, (select count(*) from actor_timers) as timers`.execute(db)
  const r = rows[0] as { jobs: string; outbox: string; timers: string }
  return { jobs: Number(r.jobs), outbox: Number(r.outbox), timers: Number(r.timers) }
}

/** Checks every session of the fault and the runtime's tables; see {@link CheckResult}. */
export async function checkSessions(db: Kysely<Database>, expected: Expected[]): Promise<CheckResult> {
  const ids = expected.map((e) => e.id)
  const problems: string[] = []
  const lostIds = new Set<number>()
  const stuckIds = new Set<number>()
  let duplicated = 0
  const sessions = await db.selectFrom('execution_sessions').select(['id', 'status']).where('id', 'in', ids).execute()
  const status = new Map(sessions.map((s) => [s.id, s.status]))
  const tasks = await db.selectFrom('agent_tasks').select(['session_id', 'agent_role', 'status']).where('session_id', 'in', ids).execute()
  for (const e of expected) {
    const s = status.get(e.id)
    const own = tasks.filter((t) => t.session_id === e.id)
    if (s === undefined) {
      lostIds.add(e.id)
      problems.push(`session ${e.id}: not found`)
      continue
    }
    if (s === 'active') {
      stuckIds.add(e.id)
      problems.push(`session ${e.id}: still active (${own.map((t) => `${t.agent_role}=${t.status}`).join(', ')})`)
      continue
    }
    if (s !== e.status) {
      lostIds.add(e.id)
      problems.push(`session ${e.id}: ended ${s}, expected ${e.status}`)
    }
    if (own.length !== ROLES_PER_SESSION || new Set(own.map((t) => t.agent_role)).size !== ROLES_PER_SESSION) {
      lostIds.add(e.id)
      problems.push(`session ${e.id}: ${own.length} tasks`)
    }
    const unfinished = own.filter((t) => !['completed', 'failed', 'skipped', 'cancelled'].includes(t.status))
    if (unfinished.length > 0) {
      stuckIds.add(e.id)
      problems.push(`session ${e.id}: ended ${s} with ${unfinished.map((t) => `${t.agent_role}=${t.status}`).join(', ')}`)
    }
    if (e.status === 'completed' && own.some((t) => t.status !== 'completed')) {
      lostIds.add(e.id)
      problems.push(`session ${e.id}: completed with ${own.filter((t) => t.status !== 'completed').map((t) => `${t.agent_role}=${t.status}`).join(', ')}`)
    }
  }

  // Gap-free event logs: seq runs 1..n and the session's counter is n.
  const { rows: gaps } = await sql<{ session_id: number; n: string; max: number; event_seq: number }>`
    select e.session_id, count(*) as n, max(e.seq) as max, s.event_seq from session_events e join execution_sessions s on s.id = e.session_id
    where e.session_id = any(${ids}::bigint[]) group by e.session_id, s.event_seq
    having count(*) <> max(e.seq) or max(e.seq) <> s.event_seq or min(e.seq) <> 1`.execute(db)
  for (const g of gaps) {
    lostIds.add(Number(g.session_id))
    problems.push(`session ${g.session_id}: event log has ${g.n} events up to seq ${g.max} (counter ${g.event_seq})`)
  }

  // No event recorded twice: one start/end per task attempt, one end per session.
  const { rows: dupEvents } = await sql<{ session_id: number; type: string; key: string; n: string }>`
    select session_id, type, coalesce(data->>'task_id', '') || '/' || coalesce(data->>'attempt', data->>'failed_attempt', '') as key, count(*) as n
    from session_events where session_id = any(${ids}::bigint[])
      and type in ('task_started', 'task_completed', 'task_failed', 'task_retrying', 'session_completed', 'session_failed', 'session_cancelled')
    group by 1, 2, 3 having count(*) > 1`.execute(db)
  const { rows: ends } = await sql<{ session_id: number; n: string }>`
    select session_id, count(*) as n from session_events where session_id = any(${ids}::bigint[])
      and type in ('session_completed', 'session_failed', 'session_cancelled') group by 1 having count(*) > 1`.execute(db)
  const { rows: dupSnapshots } = await sql<{ agent_task_id: number; n: string }>`
    select agent_task_id, count(*) as n from agent_snapshots a join agent_tasks t on t.id = a.agent_task_id
    where t.session_id = any(${ids}::bigint[])
    group by agent_task_id, a.execution_metadata->>'attempt', a.execution_metadata->>'outcome' having count(*) > 1`.execute(db)
  const { rows: dupDecisions } = await sql<{ agent_task_id: number; n: string }>`
    select agent_task_id, count(*) as n from task_decisions d join agent_tasks t on t.id = d.agent_task_id
    where t.session_id = any(${ids}::bigint[]) group by agent_task_id, decision_text having count(*) > 1`.execute(db)
  for (const d of dupEvents) problems.push(`session ${d.session_id}: ${d.type} ${d.key} recorded ${d.n} times`)
  for (const d of ends) problems.push(`session ${d.session_id}: ended ${d.n} times`)
  for (const d of dupSnapshots) problems.push(`task ${d.agent_task_id}: a snapshot recorded ${d.n} times`)
  for (const d of dupDecisions) problems.push(`task ${d.agent_task_id}: a decision recorded ${d.n} times`)
  duplicated += dupEvents.length + ends.length + dupSnapshots.length + dupDecisions.length

  const left = await leftovers(db)
  let stuck = stuckIds.size
  if (left.jobs + left.outbox + left.timers > 0) {
    problems.push(`left behind: ${left.jobs} job(s), ${left.outbox} outbox row(s), ${left.timers} timer(s)`)
    stuck += left.jobs + left.outbox + left.timers
  }
  const ok = expected.filter((e) => !lostIds.has(e.id) && !stuckIds.has(e.id)).length
  return { sessions: expected.length, completed: ok, lost: lostIds.size, duplicated, stuck, problems }
}

import { type Kysely, sql } from 'kysely'
import type { AgentTask, Database, ExecutionSession, TaskDecision } from '../../db/index.ts'
import { retryTimes, type SessionEvent } from '../../events/index.ts'
import { getSession, listDecisions, listFindings, listSessionReviews, sessionBudgetStatus, taskDecisionsByTask } from '../../sessions/index.ts'
import type { DecisionView, FindingView, ReviewView } from '../../views/index.ts'
import { findingView } from '../pages/finding-view.ts'
import { reviewView } from '../pages/session-data.ts'
import { decisionView } from '../pages/view-data.ts'

/**
 * What the live page of one session shows, held by the web process while someone watches it:
 * loaded once, then kept current by folding each event into it ({@link foldEvents}).
 * `seq` is the last event it reflects (its rows may be newer: never older).
 */
export interface LiveViewState {
  seq: number
  row: ExecutionSession
  /** The session's tasks in id order. */
  tasks: AgentTask[]
  /** Each task's agent decisions (shown on its card). */
  taskDecisions: Map<number, TaskDecision[]>
  /** The journal. */
  decisions: DecisionView[]
  retries: { task_id: number; at: string }[]
  findings: FindingView[]
  reviews: ReviewView[]
  budget: { spent_usd: number; reserved_usd: number }
}

/**
 * A session's live view state, or null when it does not exist. One snapshot (repeatable read):
 * the rows are exactly as of event `seq`, so folding the events after it is exact.
 */
export async function loadViewState(db: Kysely<Database>, sessionId: number): Promise<LiveViewState | null> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const row = await getSession(trx, sessionId)
      if (!row) return null
      const tasks = await trx.selectFrom('agent_tasks').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
      const taskDecisions = await taskDecisionsByTask(
        trx,
        tasks.map((t) => t.id),
      )
      const decisions = (await listDecisions(trx, sessionId)).map(decisionView)
      const retries = await retryTimes(trx, sessionId)
      const findings = (await listFindings(trx, sessionId)).map(findingView)
      const reviews = (await listSessionReviews(trx, sessionId)).map(reviewView)
      const budget = await sessionBudgetStatus(trx, sessionId)
      return { seq: row.event_seq, row, tasks, taskDecisions, decisions, retries, findings, reviews, budget }
    })
}

/** Which rows an event changes beyond what its data says: read once per batch of events. */
interface Reads {
  row: boolean
  /** Every task row (a session's start, resume or end changes many). */
  allTasks: boolean
  /** These task rows and their decisions. */
  taskIds: Set<number>
  budget: boolean
  journal: boolean
  findings: boolean
  reviews: boolean
}

/** The tasks an event names: its own and those that ended beside it. */
function namedTasks(data: {
  task_id: number
  skipped_tasks?: { task_id: number }[] | undefined
  cancelled_tasks?: { task_id: number }[] | undefined
}): number[] {
  return [data.task_id, ...(data.skipped_tasks ?? []).map((t) => t.task_id), ...(data.cancelled_tasks ?? []).map((t) => t.task_id)]
}

/** The statuses a `task_started` for the task's current attempt may move to `running` (never back from an end). */
const STARTABLE = new Set(['pending', 'queued', 'awaiting_budget', 'running'])

/** Applies what the event's data says to `state`; adds what must be read to `reads`. */
function fold(state: LiveViewState, event: SessionEvent, reads: Reads): void {
  switch (event.type) {
    case 'task_progress':
      return // the fragment is the event's own analysis and usage
    case 'task_started': {
      // The supervisor's update: running, started (once), the attempt's retry count, no retry due.
      const task = state.tasks.find((t) => t.id === event.data.task_id)
      if (task && (task.retry_count + 1 < event.data.attempt || (task.retry_count + 1 === event.data.attempt && STARTABLE.has(task.status)))) {
        task.status = 'running'
        task.started_at = task.started_at ?? new Date(event.at)
        task.retry_count = event.data.attempt - 1
        task.retry_at = null
      }
      // Tasks that ended beside it, and the budget its start reserved.
      for (const t of [...(event.data.skipped_tasks ?? []), ...(event.data.cancelled_tasks ?? [])]) reads.taskIds.add(t.task_id)
      reads.budget = true
      return
    }
    case 'task_retrying':
      state.retries.push({ task_id: event.data.task_id, at: event.at })
      for (const id of namedTasks(event.data)) reads.taskIds.add(id)
      reads.budget = true
      return
    case 'task_completed':
      reads.taskIds.add(event.data.task_id)
      reads.budget = true
      return
    case 'task_failed':
      for (const id of namedTasks(event.data)) reads.taskIds.add(id)
      reads.budget = true
      reads.row = true
      return
    case 'task_review_requested':
    case 'budget_exceeded':
      reads.taskIds.add(event.data.task_id)
      reads.budget = true
      reads.row = true
      return
    case 'task_reviewed':
      // Rare: a verdict changes its task, the review list and the journal.
      reads.taskIds.add(event.data.task_id)
      reads.budget = true
      reads.row = true
      reads.reviews = true
      reads.journal = true
      return
    case 'decision_added':
      reads.journal = true
      return
    case 'consistency_checked':
      reads.row = true
      reads.findings = true
      return
    case 'session_started':
    case 'session_resumed':
    case 'session_completed':
    case 'session_failed':
    case 'session_cancelled':
      reads.row = true
      reads.allTasks = true
      reads.budget = true
      return
  }
}

/**
 * Folds a batch of consecutive events (after `state.seq`) into `state`. Most events carry what
 * their fragment needs (`task_progress`, the task part of `task_started`); the others name the
 * rows they changed, and those are read once for the whole batch: a stage that starts or ends
 * several tasks at once costs one read, not one per event. Events at or before `state.seq` are
 * already in it and change nothing.
 */
export async function foldEvents(db: Kysely<Database>, state: LiveViewState, events: readonly SessionEvent[]): Promise<void> {
  const reads: Reads = { row: false, allTasks: false, taskIds: new Set(), budget: false, journal: false, findings: false, reviews: false }
  for (const event of events) {
    const seq = Number(event.id)
    if (seq <= state.seq) continue
    fold(state, event, reads)
    state.seq = seq
  }
  const id = state.row.id
  const taskIds = reads.allTasks ? null : [...reads.taskIds]
  // The common case (a task started, ended or waits): its rows, its decisions and the budget in ONE statement.
  const named = taskIds !== null && (taskIds.length > 0 || reads.budget) ? await tasksAndBudget(db, id, taskIds, reads.budget) : null
  const [row, all, allDecisions, journal, findings, reviews] = await Promise.all([
    reads.row ? getSession(db, id) : undefined,
    reads.allTasks ? db.selectFrom('agent_tasks').selectAll().where('session_id', '=', id).orderBy('id').execute() : undefined,
    reads.allTasks ? taskDecisionsByTask(db, state.tasks.map((t) => t.id)) : undefined,
    reads.journal ? listDecisions(db, id) : undefined,
    reads.findings ? listFindings(db, id) : undefined,
    reads.reviews ? listSessionReviews(db, id) : undefined,
    reads.allTasks && reads.budget ? sessionBudgetStatus(db, id).then((b) => (state.budget = b)) : undefined,
  ])
  const tasks = all ?? named?.tasks
  const decisions = allDecisions ?? named?.decisions
  if (named?.budget) state.budget = named.budget
  if (row) state.row = row
  if (tasks && tasks.length > 0) {
    const fresh = new Map(tasks.map((t) => [t.id, t]))
    const known = new Set(state.tasks.map((t) => t.id))
    state.tasks = [...state.tasks.map((t) => fresh.get(t.id) ?? t), ...tasks.filter((t) => !known.has(t.id))].sort((a, b) => a.id - b.id)
    // A task added since (none today) gets its decisions at the next full read.
    for (const [taskId, list] of decisions ?? []) state.taskDecisions.set(taskId, list)
  }
  if (journal) state.decisions = journal.map(decisionView)
  if (findings) state.findings = findings.map(findingView)
  if (reviews) state.reviews = reviews.map(reviewView)
}

/** Timestamps come back from `to_jsonb` as strings: the columns that are dates in the rows. */
function dates<T>(row: Record<string, unknown>, keys: readonly string[]): T {
  for (const key of keys) if (typeof row[key] === 'string') row[key] = new Date(row[key] as string)
  return row as T
}

/** Some of a session's task rows, their agents' decisions and (when asked) its budget figures, in one statement. */
async function tasksAndBudget(
  db: Kysely<Database>,
  sessionId: number,
  taskIds: number[],
  budget: boolean,
): Promise<{ tasks: AgentTask[]; decisions: Map<number, TaskDecision[]>; budget: { spent_usd: number; reserved_usd: number } | null }> {
  const { rows } = await sql<{ tasks: Record<string, unknown>[]; decisions: Record<string, unknown>[]; spent_usd: number | null; reserved_usd: number | null }>`
    select
      (select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]'::jsonb) from agent_tasks t
        where t.session_id = ${sessionId} and t.id = any(${taskIds}::bigint[])) as tasks,
      (select coalesce(jsonb_agg(to_jsonb(d) order by d.created_at, d.id), '[]'::jsonb) from task_decisions d
        where d.agent_task_id = any(${taskIds}::bigint[])) as decisions,
      case when ${budget} then (select coalesce(sum(coalesce(cost_usd, 0)), 0) from agent_tasks where session_id = ${sessionId})::float8 end as spent_usd,
      case when ${budget} then (select coalesce(sum(amount_usd), 0) from task_budget_reservations where session_id = ${sessionId})::float8 end as reserved_usd`.execute(db)
  const row = rows[0]
  const tasks = (row?.tasks ?? []).map((t) => dates<AgentTask>(t, ['started_at', 'completed_at', 'retry_at', 'created_at']))
  const decisions = new Map<number, TaskDecision[]>(taskIds.map((id) => [id, []]))
  for (const d of row?.decisions ?? []) {
    const decision = dates<TaskDecision>(d, ['created_at'])
    decisions.get(decision.agent_task_id)?.push(decision)
  }
  return {
    tasks,
    decisions,
    budget: budget && row ? { spent_usd: Number(row.spent_usd ?? 0), reserved_usd: Number(row.reserved_usd ?? 0) } : null,
  }
}

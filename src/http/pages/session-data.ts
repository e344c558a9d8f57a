import type { Kysely } from 'kysely'
import type { AgentTask, Database, ExecutionSession } from '../../db/index.ts'
import { latestProgress, retryTimes } from '../../events/index.ts'
import { getSession, type LineageRow, listDecisions, listFindings, listSessionReviews, listTasks, loadLineage, type SessionReview, sessionBudgetStatus, taskDecisionsByTask } from '../../sessions/index.ts'
import type { BudgetPanelProps, DecisionView, FindingView, PlanView, ReviewView, SessionView, TaskView } from '../../views/index.ts'
import { NotFoundError } from '../errors.ts'
import { findingView } from './finding-view.ts'
import { planView } from './plan-view.ts'
import { decisionView, sessionView, taskView } from './view-data.ts'

/** Everything the live session page shows, as of event `last_event_id`. */
export interface SessionPageData {
  row: ExecutionSession
  session: SessionView
  plan: PlanView
  tasks: TaskView[]
  decisions: DecisionView[]
  /** The analysis each running task has streamed so far, by task id. */
  streamed: Record<number, string>
  retries: { task_id: number; at: string }[]
  /** The session's last event when the rows were read: the live stream continues after it. */
  last_event_id: number
  findings: FindingView[]
  /** The verdicts on its tasks, oldest first. */
  reviews: ReviewView[]
  /** Its parent and its forks. */
  lineage: { parent: LineageRow | null; forks: LineageRow[]; forked_from_role: string | null }
  /** What its tasks cost so far and hold reserved (the budget panel). */
  budget: { spent_usd: number; reserved_usd: number }
}

/** A verdict as the session page shows it. */
export function reviewView(r: SessionReview): ReviewView {
  return { ...r, created_at: new Date(r.created_at).toISOString() }
}

/**
 * The latest streamed analysis of each task that is still running the attempt that streamed it
 * (a `task_progress` event carries the whole analysis so far, so the latest one is enough).
 */
export async function streamedAnalyses(db: Kysely<Database>, sessionId: number, tasks: AgentTask[]): Promise<Record<number, string>> {
  const running = new Map(tasks.filter((t) => t.status === 'running').map((t) => [t.id, t]))
  if (running.size === 0) return {}
  const out: Record<number, string> = {}
  for (const r of await latestProgress(db, sessionId)) {
    const task = running.get(r.task_id)
    if (task && r.attempt === task.retry_count + 1 && r.analysis) out[task.id] = r.analysis
  }
  return out
}

/** A session's tasks for display, each with its agent's decisions. */
export async function tasksWithDecisions(db: Kysely<Database>, sessionId: number): Promise<{ rows: AgentTask[]; views: TaskView[] }> {
  const rows = await listTasks(db, sessionId)
  const decisions = await taskDecisionsByTask(db, rows.map((t) => t.id))
  return { rows, views: rows.map((t) => taskView(t, decisions.get(t.id) ?? [])) }
}

/**
 * Reads the live page's data. The session row (with its event counter) is read first, so every
 * event after `last_event_id` happened after the rows below were read or while they were: replaying
 * them re-renders elements from newer rows, which is harmless, and nothing falls in between.
 */
export async function loadSessionPage(db: Kysely<Database>, sessionId: number): Promise<SessionPageData> {
  const row = await getSession(db, sessionId)
  if (!row) throw new NotFoundError('Session not found.')
  const { rows, views } = await tasksWithDecisions(db, sessionId)
  const [decisions, streamed, retries, findings, reviews, lineage, budget] = await Promise.all([
    listDecisions(db, sessionId),
    streamedAnalyses(db, sessionId, rows),
    retryTimes(db, sessionId),
    listFindings(db, sessionId),
    listSessionReviews(db, sessionId),
    loadLineage(db, row),
    sessionBudgetStatus(db, sessionId),
  ])
  return {
    row,
    session: sessionView(row),
    plan: planView(row.plan, rows.map((t) => t.agent_role)),
    tasks: views,
    decisions: decisions.map(decisionView),
    streamed,
    retries,
    last_event_id: row.event_seq,
    findings: findings.map(findingView),
    reviews: reviews.map(reviewView),
    lineage: { ...lineage, forked_from_role: row.forked_from_role ?? null },
    budget,
  }
}

/** The budget panel of a session (the page and the live stream render the same). */
export function budgetPanelProps(
  row: ExecutionSession,
  money: { spent_usd: number; reserved_usd: number },
  canRaise: boolean,
  csrfToken: string | null,
): Omit<BudgetPanelProps, 'oob'> {
  return { session_id: row.id, status: row.status, budget_usd: row.budget_usd, awaiting: row.awaiting, ...money, can_raise: canRaise, csrf_token: csrfToken }
}

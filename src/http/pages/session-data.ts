import type { Kysely } from 'kysely'
import type { AgentTask, Database, ExecutionSession, Team, TeamRole } from '../../db/index.ts'
import { latestProgress } from '../../events/index.ts'
import { type LineageRow, listTasks, readSessionPage, type SessionReview, taskDecisionsByTask } from '../../sessions/index.ts'
import { type TeamView as TeamRow, teamSettingsOf } from '../../teams/index.ts'
import type { BudgetPanelProps, DecisionView, FindingView, PlanView, ReviewView, SessionView, TaskView, TeamView } from '../../views/index.ts'
import { NotFoundError } from '../errors.ts'
import { findingView } from './finding-view.ts'
import { planView } from './plan-view.ts'
import { decisionView, sessionView, taskView, teamView } from './view-data.ts'

/** Everything the live session page shows, as of event `last_event_id`. */
export interface SessionPageData {
  row: ExecutionSession
  /** The viewer's role in the session's team, and the team. */
  role: TeamRole
  team: TeamView
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
  /** Who started the session (null once that account is gone). */
  started_by: string | null
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
 * Reads the live page's data as `userId` may see it, in one statement (one snapshot: every event
 * after `last_event_id` happened after the rows were read, so replaying them re-renders elements
 * from newer rows, which is harmless, and nothing falls in between). 404 when the session does not
 * exist or the caller is not in its team.
 */
export async function loadSessionPage(db: Kysely<Database>, userId: number, sessionId: number): Promise<SessionPageData> {
  const rows = await readSessionPage(db, userId, sessionId)
  if (!rows) throw new NotFoundError('Session not found.')
  const row = rows.session
  const running = new Map(rows.tasks.filter((t) => t.status === 'running').map((t) => [t.id, t]))
  const streamed: Record<number, string> = {}
  for (const p of rows.progress) {
    const task = running.get(p.task_id)
    if (task && p.attempt === task.retry_count + 1 && p.analysis) streamed[task.id] = p.analysis
  }
  return {
    row,
    role: rows.role,
    team: teamView(teamRowView(rows.team, rows.role)),
    session: sessionView(row),
    plan: planView(row.plan, rows.tasks.map((t) => t.agent_role)),
    tasks: rows.tasks.map((t) => taskView(t, rows.task_decisions.get(t.id) ?? [])),
    decisions: rows.decisions.map(decisionView),
    streamed,
    retries: rows.retries,
    last_event_id: row.event_seq,
    findings: rows.findings.map(findingView),
    reviews: rows.reviews.map(reviewView),
    lineage: { ...rows.lineage, forked_from_role: row.forked_from_role ?? null },
    budget: rows.budget,
    started_by: rows.started_by,
  }
}

/** A team row seen with `role`, as getTeam gives it. */
function teamRowView(team: Team, role: TeamRole): TeamRow {
  const { id, name, description, owner_id, is_shared, created_at, updated_at } = team
  return { id, name, description, owner_id, is_shared, created_at, updated_at, role, settings: teamSettingsOf(team) }
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

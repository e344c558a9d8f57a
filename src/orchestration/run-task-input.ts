import { sql } from 'kysely'
import { type AgentRole, listRoles } from '../agents/index.ts'
import type { SessionPlan } from '../db/index.ts'
import { buildPlanGraph } from './plan.ts'
import type { RunAgentInput } from './run-agent.job.ts'

/** How many journal decisions an agent's input carries (the prompt condenses further). */
export const JOURNAL_LIMIT = 50

/**
 * In a query over `execution_sessions s`, as JSON: the users' latest decisions, oldest
 * first (by the session's index).
 */
export const USER_DECISIONS_JSON = sql<JournalRow[]>`coalesce((select json_agg(u order by u.id) from (
    select decision_text as text, category, id from session_decisions
    where session_id = s.id order by id desc limit ${JOURNAL_LIMIT}) u), '[]')`

/**
 * In a query over `execution_sessions s`, as JSON: the decisions of every completed task
 * (by the tasks' index; no sort that could tempt the planner into walking a whole table by id).
 */
export const ROLE_DECISIONS_JSON = sql<Array<JournalRow & { task_id: number }>>`coalesce((select json_agg(
      json_build_object('text', d.decision_text, 'category', d.category, 'task_id', d.agent_task_id, 'id', d.id))
    from agent_tasks t join task_decisions d on d.agent_task_id = t.id
    where t.session_id = s.id and t.status = 'completed'), '[]')`

/** A session's tasks as an agent reads them (its own row included); outputs of the completed ones it builds on. */
export type TaskRows = Array<{
  id: number
  agent_role: string
  status: string
  retry_count: number
  retry_at: string | null
  celery_task_id: string | null
  output_data: Record<string, unknown> | null
  /** What the task's next attempt must change (a reviewer's comment, a fork's feedback); null or absent: nothing. */
  feedback?: string | null
}>

export type JournalRow = { text: string; category: string | null; id: number }

/** What a `RunTask` reads, in one round trip. */
export interface RunTaskView {
  feature_name: string
  description: string
  plan: string
  tasks: TaskRows
  /** The users' latest decisions, oldest first. */
  user_decisions: JournalRow[]
  /** The decisions of every completed task of the session (filtered to the roles this one waits for). */
  role_decisions: Array<JournalRow & { task_id: number }>
}

/** Everything the model call needs: the feature, the journal so far and the outputs of the roles it depends on. */
export function buildInput(view: RunTaskView, sessionId: number, role: AgentRole, taskId: number, attempt: number): RunAgentInput {
  const { tasks } = view
  const graph = buildPlanGraph(view.plan as SessionPlan, tasks.map((t) => t.agent_role as AgentRole), listRoles())
  const deps = new Set(graph.get(role) ?? [])
  // Every role this one waits for, directly or not: their work is finished before it starts, so its
  // input does not depend on how fast roles running beside it happen to be.
  const before = new Set<AgentRole>()
  const visit = (r: AgentRole): void => {
    for (const d of graph.get(r) ?? []) {
      if (before.has(d)) continue
      before.add(d)
      visit(d)
    }
  }
  visit(role)
  const upstream = tasks
    .filter((t) => deps.has(t.agent_role as AgentRole) && t.status === 'completed' && t.output_data)
    .map((t) => ({ role: t.agent_role as AgentRole, output: t.output_data as Record<string, unknown> }))
  const roleOfTask = new Map(tasks.filter((t) => before.has(t.agent_role as AgentRole) && t.status === 'completed').map((t) => [t.id, t.agent_role]))
  // In plan order of their roles, then as recorded: roles running side by side finish in either
  // order, and the input (so a deterministic model's output) must not depend on which came first.
  const rank = new Map(listRoles().map((r, i) => [r.id as string, i]))
  const rankOf = (d: { task_id: number }): number => rank.get(roleOfTask.get(d.task_id) ?? '') ?? 0
  const roles = view.role_decisions
    .filter((d) => roleOfTask.has(d.task_id))
    .sort((a, b) => rankOf(a) - rankOf(b) || a.id - b.id)
    .slice(-JOURNAL_LIMIT)
  return {
    session_id: sessionId,
    task_id: taskId,
    attempt,
    role,
    feature_name: view.feature_name,
    description: view.description,
    decisions: [
      ...view.user_decisions.map((d) => ({ text: d.text, category: d.category ?? 'general', source: 'user' })),
      ...roles.map((d) => ({ text: d.text, category: d.category ?? 'general', source: roleOfTask.get(d.task_id) ?? 'user' })),
    ],
    upstream,
    feedback: tasks.find((t) => t.id === taskId)?.feedback ?? null,
  }
}


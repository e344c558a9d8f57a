/** Why a session or a card did not finish, from its tasks and its plan. Pure: no clock, no I/O. */
import type { PlanView, TaskView } from '../view-types.ts'

/** A failed agent: its role, how many attempts it had, its last error and the agents skipped because of it. */
export interface FailedAgent {
  task_id: number
  agent_role: string
  attempts: number
  error: string | null
  skipped: string[]
}

/** How many attempts a failed task had: its first one plus each retry. */
export function failedAttempts(task: Pick<TaskView, 'retry_count'>): number {
  return task.retry_count + 1
}

/**
 * The roles a role waits for, directly or through others, nearest first (each once). `waits_for`
 * lists only direct waits, so this walks it.
 */
export function upstreamRoles(plan: PlanView, role: string): string[] {
  const out: string[] = []
  const queue = [...(plan.waits_for[role] ?? [])]
  while (queue.length > 0) {
    const next = queue.shift() as string
    if (out.includes(next)) continue
    out.push(next)
    queue.push(...(plan.waits_for[next] ?? []))
  }
  return out
}

/**
 * The agents a skipped role's skip comes from: its failed upstream roles; when none failed (a
 * cancelled one, or an old plan), its upstream roles that were cancelled or skipped. Empty when
 * the plan knows no such role.
 */
export function skipCause(plan: PlanView, tasks: readonly { agent_role: string; status: string }[], role: string): { roles: string[]; status: 'failed' | 'cancelled' } {
  const status = new Map(tasks.map((t) => [t.agent_role, t.status]))
  const upstream = upstreamRoles(plan, role)
  const failed = upstream.filter((r) => status.get(r) === 'failed')
  if (failed.length > 0) return { roles: failed, status: 'failed' }
  return { roles: upstream.filter((r) => status.get(r) === 'cancelled'), status: 'cancelled' }
}

/**
 * A plan with, for each skipped role, the failed roles upstream it was skipped for (`blocked_by`),
 * so a card can name them; a role skipped for another reason (a cancelled one) is left out.
 */
export function planWithOutcomes(plan: PlanView, tasks: readonly { agent_role: string; status: string }[]): PlanView {
  const blocked_by: Record<string, string[]> = {}
  for (const t of tasks) {
    if (t.status !== 'skipped') continue
    const cause = skipCause(plan, tasks, t.agent_role)
    if (cause.status === 'failed') blocked_by[t.agent_role] = cause.roles
  }
  return { ...plan, blocked_by }
}

/** The session's failed agents in plan order, each with the agents skipped because of it. */
export function failedAgents(plan: PlanView, tasks: readonly TaskView[]): FailedAgent[] {
  return tasks
    .filter((t) => t.status === 'failed')
    .map((t) => ({
      task_id: t.id,
      agent_role: t.agent_role,
      attempts: failedAttempts(t),
      error: t.error_message,
      skipped: tasks.filter((s) => s.status === 'skipped' && upstreamRoles(plan, s.agent_role).includes(t.agent_role)).map((s) => s.agent_role),
    }))
}

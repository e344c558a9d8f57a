import { roleOrder } from '../format.ts'
import type { FindingView } from '../session/findings-section.view.tsx'
import type { DecisionView, PlanView, SessionView, TaskView } from '../view-types.ts'

/** Everything the design document shows (page and Markdown): API.md's shapes, ISO timestamps. */
export interface DesignDocumentData {
  /** With its totals (`input_tokens`, `output_tokens`, `cost_usd`). */
  session: SessionView
  team: { id: number; name: string }
  /** The username of whoever started the session; null when the user is gone. */
  started_by: string | null
  plan: PlanView
  /** Each with its agent's decisions. */
  tasks: TaskView[]
  /** The whole journal: members', agents' and reviewers' decisions, oldest first. */
  decisions: DecisionView[]
  /** Cross-role consistency findings, in the order the rules found them (absent: none). */
  findings?: FindingView[]
}

/** The DOM id (and Markdown anchor) of a role's section. */
export function roleAnchor(role: string): string {
  return `role-${role.replace(/[^a-z0-9_]/gi, '-')}`
}

/** Tasks in plan order: stage by stage, the roles of a stage in the canonical role order. Stable. */
export function tasksInPlanOrder(tasks: TaskView[], plan: PlanView): TaskView[] {
  const stageOf = (role: string): number => {
    const i = plan.stages.findIndex((s) => s.includes(role))
    return i === -1 ? plan.stages.length : i
  }
  return [...tasks].sort((a, b) => stageOf(a.agent_role) - stageOf(b.agent_role) || roleOrder(a.agent_role) - roleOrder(b.agent_role) || a.id - b.id)
}

/**
 * The plan as it runs, for the summary: roles of one stage joined by " + ", stages by " → "
 * ("Software Architect → Backend Developer + Database Administrator → …"). `tasks` in plan order.
 */
export function planSequence(tasks: TaskView[], plan: PlanView, label: (role: string) => string): string {
  const stages: string[][] = []
  let current = Number.NaN
  for (const t of tasks) {
    const stage = plan.stages.findIndex((s) => s.includes(t.agent_role))
    if (stage !== current) stages.push([])
    current = stage
    stages[stages.length - 1]?.push(label(t.agent_role))
  }
  return stages.map((s) => s.join(' + ')).join(' → ')
}

/** One open concern with the role that raised it. */
export interface ConcernView {
  agent_role: string
  text: string
}

/** Every completed role's concerns, in plan order. */
export function openConcerns(tasks: TaskView[], read: (output: unknown) => string[]): ConcernView[] {
  return tasks.filter((t) => t.status === 'completed').flatMap((t) => read(t.output_data).map((text) => ({ agent_role: t.agent_role, text })))
}

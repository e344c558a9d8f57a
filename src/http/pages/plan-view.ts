import { type AgentRole, isAgentRole, listRoles } from '../../agents/index.ts'
import type { SessionPlan } from '../../db/index.ts'
import { buildPlanGraph, planStages } from '../../orchestration/index.ts'
import { type PlanView, planWithOutcomes } from '../../views/index.ts'

/**
 * A session's plan for display, from the same graph the supervisor runs (buildPlanGraph over the
 * registry's roles): roles grouped by stage in registry order, and whom each waits for. Roles the
 * registry does not know (old rows) go in a last stage of their own and wait for nobody. Given the
 * session's tasks, it also says which failed role each skipped one was skipped for (`blocked_by`).
 */
export function planView(plan: SessionPlan, roles: readonly string[], tasks?: readonly { agent_role: string; status: string }[]): PlanView {
  const registry = listRoles()
  const known = roles.filter((r): r is AgentRole => isAgentRole(r))
  const graph = buildPlanGraph(plan, known, registry.map((r) => ({ id: r.id, dependsOn: r.dependsOn })))
  const stageOf = planStages(graph)
  const stages: string[][] = []
  for (const role of graph.keys()) {
    const stage = stageOf.get(role) ?? 0
    while (stages.length <= stage) stages.push([])
    stages[stage]?.push(role)
  }
  const unknown = [...new Set(roles.filter((r) => !isAgentRole(r)))]
  if (unknown.length) stages.push(unknown)
  // Whom a role waits for, without those another of its dependencies already waits for
  // ("waiting for Frontend Developer", not the whole chain behind it).
  const closure = (role: AgentRole, seen = new Set<AgentRole>()): Set<AgentRole> => {
    for (const dep of graph.get(role) ?? []) if (!seen.has(dep)) closure(dep, seen.add(dep))
    return seen
  }
  const waits_for: Record<string, string[]> = {}
  for (const [role, deps] of graph) {
    waits_for[role] = deps.filter((d) => !deps.some((other) => other !== d && closure(other).has(d)))
  }
  const view = { stages: stages.filter((s) => s.length > 0), waits_for }
  return tasks ? planWithOutcomes(view, tasks) : view
}

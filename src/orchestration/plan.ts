import type { AgentRole } from '../agents/index.ts'
import type { SessionPlan } from '../db/index.ts'

/** A role and the roles whose outputs it reads (from its role definition). */
export interface RoleDependencies {
  id: AgentRole
  dependsOn: readonly AgentRole[]
}

/** For each chosen role, the chosen roles that must complete before it starts. */
export type PlanGraph = Map<AgentRole, AgentRole[]>

/**
 * Builds the dependency graph of a session's plan over the chosen roles, taken in
 * the registry's order (`roles` lists every role with its dependencies):
 * - `dag`: each role waits for the roles it depends on; a dependency that was not
 *   chosen is looked through to its own dependencies, so the order still holds;
 * - `sequential`: each role waits for the one before it;
 * - `parallel`: nobody waits.
 */
export function buildPlanGraph(plan: SessionPlan, chosen: readonly AgentRole[], roles: readonly RoleDependencies[]): PlanGraph {
  const picked = new Set(chosen)
  const ordered = roles.filter((r) => picked.has(r.id)).map((r) => r.id)
  if (plan === 'parallel') return new Map(ordered.map((id) => [id, []]))
  if (plan === 'sequential') return new Map(ordered.map((id, i) => [id, i === 0 ? [] : [ordered[i - 1] as AgentRole]]))
  const dependsOn = new Map(roles.map((r) => [r.id, r.dependsOn]))
  const resolve = (deps: readonly AgentRole[], seen: Set<AgentRole>, out: Set<AgentRole>): Set<AgentRole> => {
    for (const dep of deps) {
      if (seen.has(dep)) continue
      seen.add(dep)
      if (picked.has(dep)) out.add(dep)
      else resolve(dependsOn.get(dep) ?? [], seen, out)
    }
    return out
  }
  return new Map(ordered.map((id) => [id, [...resolve(dependsOn.get(id) ?? [], new Set([id]), new Set())]]))
}

/**
 * The stage of each role: 0 for roles that wait for nobody, otherwise one more than
 * the latest stage among its dependencies. Used to draw the plan's stages.
 */
export function planStages(graph: PlanGraph): Map<AgentRole, number> {
  const stages = new Map<AgentRole, number>()
  const stageOf = (role: AgentRole, path: Set<AgentRole>): number => {
    const cached = stages.get(role)
    if (cached !== undefined) return cached
    if (path.has(role)) throw new Error(`The plan has a dependency cycle through ${role}.`)
    path.add(role)
    const deps = graph.get(role) ?? []
    const stage = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => stageOf(d, path)))
    path.delete(role)
    stages.set(role, stage)
    return stage
  }
  for (const role of graph.keys()) stageOf(role, new Set())
  return stages
}

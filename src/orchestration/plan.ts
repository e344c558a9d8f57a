import type { AgentRole } from '../agents/index.ts'
import type { SessionPlan } from '../db/index.ts'

/** A role and the roles whose outputs it reads (from its role definition). */
export interface RoleDependencies {
  id: AgentRole
  dependsOn: readonly AgentRole[]
}

/** For each chosen role, the chosen roles that must complete before it starts (and whose outputs it reads). */
export type PlanGraph = Map<AgentRole, AgentRole[]>

/**
 * The design stage of every role in `roles`: 0 for a role that depends on nobody, otherwise one
 * more than the latest stage among its dependencies. Over the registry this gives DESIGN's four
 * stages: architect; backend + DBA; frontend + UI/UX; security + IT admin. Throws on a cycle.
 */
export function designStages(roles: readonly RoleDependencies[]): Map<AgentRole, number> {
  const dependsOn = new Map(roles.map((r) => [r.id, r.dependsOn]))
  const stages = new Map<AgentRole, number>()
  const stageOf = (role: AgentRole, path: Set<AgentRole>): number => {
    const cached = stages.get(role)
    if (cached !== undefined) return cached
    if (path.has(role)) throw new Error(`The roles have a dependency cycle through ${role}.`)
    path.add(role)
    const deps = (dependsOn.get(role) ?? []).filter((d) => dependsOn.has(d))
    const stage = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => stageOf(d, path)))
    path.delete(role)
    stages.set(role, stage)
    return stage
  }
  for (const r of roles) stageOf(r.id, new Set())
  return stages
}

/**
 * Builds the dependency graph of a session's plan over the chosen roles, taken in
 * the registry's order (`roles` lists every role with its dependencies):
 * - `dag`: the roles run in their design stages (see `designStages`); a role waits for every
 *   chosen role of every earlier stage and reads all their outputs. A stage with no chosen
 *   role vanishes, so the next chosen stage waits for the previous chosen one;
 * - `sequential`: each role waits for the one before it;
 * - `parallel`: nobody waits.
 */
export function buildPlanGraph(plan: SessionPlan, chosen: readonly AgentRole[], roles: readonly RoleDependencies[]): PlanGraph {
  const picked = new Set(chosen)
  const ordered = roles.filter((r) => picked.has(r.id)).map((r) => r.id)
  if (plan === 'parallel') return new Map(ordered.map((id) => [id, []]))
  if (plan === 'sequential') return new Map(ordered.map((id, i) => [id, i === 0 ? [] : [ordered[i - 1] as AgentRole]]))
  const stage = designStages(roles)
  const stageOf = (id: AgentRole): number => stage.get(id) ?? 0
  return new Map(ordered.map((id) => [id, ordered.filter((other) => stageOf(other) < stageOf(id))]))
}

/**
 * The stage of each role in a plan graph: 0 for roles that wait for nobody, otherwise one more
 * than the latest stage among the roles it waits for. Used to draw the plan's stages.
 */
export function planStages(graph: PlanGraph): Map<AgentRole, number> {
  return designStages([...graph].map(([id, dependsOn]) => ({ id, dependsOn })))
}

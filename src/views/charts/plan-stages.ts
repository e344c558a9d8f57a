import { AGENT_ROLES } from '../../agents/index.ts'
import { roleOrder } from '../format.ts'
import type { SessionPlan } from '../view-types.ts'

/** The `dag` plan: architect, then backend + DBA, then frontend + UI/UX, then security + IT. */
const DAG: readonly (readonly string[])[] = [
  ['software_architect'],
  ['backend_developer', 'database_administrator'],
  ['frontend_developer', 'ui_ux_designer'],
  ['security_specialist', 'it_administrator'],
]

/**
 * The stages of `plan` restricted to `roles` (in dag order), empty stages dropped; roles a plan
 * does not know go in a last stage of their own. Mirrors DESIGN.md's plans for display only.
 */
export function planStages(plan: SessionPlan, roles: readonly string[]): string[][] {
  const present = [...new Set(roles)].sort((a, b) => roleOrder(a) - roleOrder(b))
  const known = present.filter((r) => (AGENT_ROLES as readonly string[]).includes(r))
  const unknown = present.filter((r) => !(AGENT_ROLES as readonly string[]).includes(r))
  let stages: string[][]
  if (plan === 'parallel') stages = [known]
  else if (plan === 'sequential') stages = known.map((r) => [r])
  else stages = DAG.map((stage) => stage.filter((r) => known.includes(r)))
  if (unknown.length) stages.push(unknown)
  return stages.filter((s) => s.length > 0)
}

/** The roles a role waits for under `plan` (the previous non-empty stage), for "waiting for …" text. */
export function waitsFor(plan: SessionPlan, role: string, roles: readonly string[]): string[] {
  const stages = planStages(plan, roles)
  const i = stages.findIndex((s) => s.includes(role))
  return i > 0 ? (stages[i - 1] ?? []) : []
}

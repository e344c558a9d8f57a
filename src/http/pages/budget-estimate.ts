import { AGENT_ROLES, type AgentRole, isAgentRole } from '../../agents/index.ts'
import type { SessionPlan } from '../../db/index.ts'
import { estimateSession, SESSION_PLANS } from '../../sessions/index.ts'
import type { EstimateView, FormValues } from '../../views/index.ts'
import { rolePricing } from '../budget.routes.ts'
import type { AppDeps } from '../deps.ts'

/**
 * The start form's estimate for what the form says (a fresh form: every agent, staged plan).
 * Lenient, as a preview should be: an unknown plan counts as staged, unknown agents are left
 * out; null when no agent is chosen. Starting the session validates the form for real.
 */
export async function startFormEstimate(deps: AppDeps, teamId: number, values: FormValues | undefined): Promise<EstimateView | null> {
  const plan = values?.plan
  const chosen = values === undefined ? [...AGENT_ROLES] : [values.agents ?? []].flat().filter((r): r is AgentRole => isAgentRole(r))
  if (chosen.length === 0) return null
  const planOf: SessionPlan = typeof plan === 'string' && (SESSION_PLANS as readonly string[]).includes(plan) ? (plan as SessionPlan) : 'dag'
  return estimateSession(deps.db, teamId, [...new Set(chosen)], planOf, rolePricing(deps.config))
}

/** A completed session written straight into the database: seven simulated outputs, their decisions and a member's decision. */
import type { Kysely } from 'kysely'
import { AGENT_ROLES, type AgentRole, getRole } from '../../src/agents/index.ts'
import { createSimContext } from '../../src/agents/providers/sim-context.ts'
import { createRandom, hashText } from '../../src/agents/providers/sim-random.ts'
import type { Database } from '../../src/db/index.ts'

/** What to write; `output` replaces a role's simulated output (hostile text, odd shapes). */
export interface CompletedSessionSpec {
  teamId: number
  userId: number
  featureName: string
  description?: string
  roles?: readonly AgentRole[]
  output?: (role: AgentRole, simulated: Record<string, unknown>) => unknown
  /** A member's decision added to the journal. */
  memberDecision?: { text: string; category: string; confidence: 'high' | 'medium' | 'low' }
}

const T0 = Date.parse('2026-03-02T09:00:00.000Z')
const at = (s: number): string => new Date(T0 + s * 1000).toISOString()

/** The simulated provider's output for `role` on this feature (deterministic). */
export function simulatedOutput(role: AgentRole, featureName: string, description: string): Record<string, unknown> {
  const ctx = createSimContext({ role, featureName, description, decisions: [], upstream: [], attempt: 1 }, createRandom(hashText(`${role}:${featureName}`)))
  return getRole(role).simulate(ctx) as Record<string, unknown>
}

/** Writes the session and returns its id. */
export async function seedCompletedSession(db: Kysely<Database>, spec: CompletedSessionSpec): Promise<number> {
  const roles = spec.roles ?? AGENT_ROLES
  const description = spec.description ?? ''
  const session = await db
    .insertInto('execution_sessions')
    .values({
      team_id: spec.teamId,
      user_id: spec.userId,
      feature_name: spec.featureName,
      description,
      plan: 'dag',
      status: 'completed',
      started_at: at(0),
      ended_at: at(roles.length * 10),
      duration_seconds: roles.length * 10,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [i, role] of roles.entries()) {
    const simulated = simulatedOutput(role, spec.featureName, description)
    const output = spec.output ? spec.output(role, simulated) : simulated
    const task = await db
      .insertInto('agent_tasks')
      .values({
        session_id: session.id,
        agent_role: role,
        task_description: `${getRole(role).displayName}: contribute to "${spec.featureName}"`,
        input_data: JSON.stringify({ feature_name: spec.featureName, description, plan: 'dag' }),
        output_data: JSON.stringify(output),
        status: 'completed',
        started_at: at(i * 10),
        completed_at: at(i * 10 + 9),
        duration_seconds: 9,
        model: 'simulated',
        input_tokens: 1000 + i * 100,
        output_tokens: 400 + i * 10,
        cost_usd: 0.0125 + i * 0.001,
        created_at: at(0),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const decisions = Array.isArray((output as { decisions?: unknown }).decisions) ? ((output as { decisions: unknown[] }).decisions) : []
    for (const d of decisions) {
      if (d === null || typeof d !== 'object') continue
      const r = d as Record<string, unknown>
      await db
        .insertInto('task_decisions')
        .values({
          agent_task_id: task.id,
          decision_text: String(r.text),
          rationale: typeof r.rationale === 'string' ? r.rationale : null,
          category: typeof r.category === 'string' ? r.category : null,
          created_at: at(i * 10 + 9),
        })
        .execute()
    }
  }
  if (spec.memberDecision) {
    await db
      .insertInto('session_decisions')
      .values({
        session_id: session.id,
        user_id: spec.userId,
        decision_text: spec.memberDecision.text,
        category: spec.memberDecision.category,
        confidence: spec.memberDecision.confidence,
        created_at: at(roles.length * 10 + 1),
      })
      .execute()
  }
  return session.id
}

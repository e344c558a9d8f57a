import type { Kysely, Transaction } from 'kysely'
import { type AgentRole, listRoles } from '../agents/index.ts'
import type { Database, ExecutionSession, SessionPlan } from '../db/index.ts'
import { type ForkInput, insertFork } from '../sessions/index.ts'
import { buildPlanGraph } from './plan.ts'
import type { SessionControl } from './session-control.ts'

/** What `forkSession` did: the new session, or why there is none. */
export type ForkOutcome =
  | { ok: true; session: ExecutionSession }
  | { ok: false; reason: 'not_found' | 'active' | 'unknown_role' }

/**
 * The roles a fork from `fromRole` runs again: `fromRole` and every role that waits for it,
 * directly or through others, in the session's plan over `roles`. Every other role (its
 * upstream and its peers in the same stage) is what the fork may copy.
 */
export function rolesToRerun(plan: SessionPlan, roles: readonly AgentRole[], fromRole: AgentRole): Set<AgentRole> {
  const graph = buildPlanGraph(plan, roles, listRoles())
  const rerun = new Set<AgentRole>([fromRole])
  let grew = true
  while (grew) {
    grew = false
    for (const [role, deps] of graph) {
      if (!rerun.has(role) && deps.some((d) => rerun.has(d))) {
        rerun.add(role)
        grew = true
      }
    }
  }
  return rerun
}

/**
 * Forks the ended session `parentId` from `input.from_role`: the new session's rows (see
 * `insertFork`: the roles `from_role` does not feed that completed are copied, the others run
 * again) and the hand-off to its supervisor, in one transaction; then what the hand-off does
 * after the commit. The parent row is locked for the check, so a resume cannot slip in between.
 */
export async function forkSession(
  db: Kysely<Database>,
  control: SessionControl,
  userId: number,
  parentId: number,
  input: ForkInput,
): Promise<ForkOutcome> {
  const result = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const parent = await trx.selectFrom('execution_sessions').selectAll().where('id', '=', parentId).forUpdate().executeTakeFirst()
    if (!parent) return { ok: false as const, reason: 'not_found' as const }
    if (parent.status === 'active') return { ok: false as const, reason: 'active' as const }
    const roles = (await trx.selectFrom('agent_tasks').select('agent_role').where('session_id', '=', parentId).orderBy('id').execute()).map(
      (r) => r.agent_role as AgentRole,
    )
    if (!roles.includes(input.from_role)) return { ok: false as const, reason: 'unknown_role' as const }
    const rerun = rolesToRerun(parent.plan, roles, input.from_role)
    const copy = new Set(roles.filter((r) => !rerun.has(r)))
    const { session, tasks } = await insertFork(trx, userId, parent, input, copy)
    return { ok: true as const, session, after: await control.sessionCreated(trx, session, tasks) }
  })
  if (!result.ok) return result
  await result.after?.()
  return { ok: true, session: result.session }
}

import { type Kysely, sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database, ExecutionSession } from '../db/index.ts'

/** What a fork changes: the role it re-runs from, what that role must change, and optionally a new name. */
export interface ForkInput {
  from_role: AgentRole
  feedback?: string | undefined
  feature_name?: string | undefined
  description?: string | undefined
}

/** A task row of a new fork; `reused_attempt` is the attempt it copied (absent: the task runs in the fork). */
export interface ForkTaskRow {
  id: number
  agent_role: AgentRole
  reused_attempt?: number
}

/**
 * Inserts the fork of `parent` (an ended session) in the caller's transaction: an active session
 * of the same team and plan (`parent_id`, `forked_from_role`, the parent's review and budget) with
 * one task per role of the parent, in the parent's order. A role in `copy` whose parent task
 * completed is copied with its output, decisions and snapshots (`reused_from_task_id`, completed,
 * zero tokens and cost); every other role is pending, `from_role` with `feedback`. The parent's
 * team journal is copied too (see `copyJournal`), so the roles that run again read what the parent's read.
 * Handing the fork to its supervisor is the caller's.
 */
export async function insertFork(
  trx: Transaction<Database>,
  userId: number,
  parent: ExecutionSession,
  input: ForkInput,
  copy: ReadonlySet<AgentRole>,
): Promise<{ session: ExecutionSession; tasks: ForkTaskRow[] }> {
  const featureName = input.feature_name ?? parent.feature_name
  const description = input.description ?? parent.description
  const session = await trx
    .insertInto('execution_sessions')
    .values({
      team_id: parent.team_id,
      user_id: userId,
      feature_name: featureName,
      description,
      plan: parent.plan,
      status: 'active',
      started_at: sql<Date>`now()`,
      parent_id: parent.id,
      forked_from_role: input.from_role,
      review: JSON.stringify(parent.review ?? 'none'),
      review_below_confidence: parent.review_below_confidence,
      budget_usd: parent.budget_usd,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const parentTasks = await trx.selectFrom('agent_tasks').selectAll().where('session_id', '=', parent.id).orderBy('id').execute()
  const inputData = JSON.stringify({ feature_name: featureName, description, plan: parent.plan })
  const reused = parentTasks.filter((t) => t.status === 'completed' && copy.has(t.agent_role as AgentRole))
  const reusedIds = new Set(reused.map((t) => t.id))
  const rows = await trx
    .insertInto('agent_tasks')
    .values(
      parentTasks.map((t) =>
        reusedIds.has(t.id)
          ? {
              session_id: session.id,
              agent_role: t.agent_role,
              task_description: t.task_description,
              input_data: t.input_data === null ? null : JSON.stringify(t.input_data),
              output_data: t.output_data === null ? null : JSON.stringify(t.output_data),
              status: 'completed' as const,
              started_at: sql<Date>`now()`,
              completed_at: sql<Date>`now()`,
              duration_seconds: 0,
              retry_count: t.retry_count,
              model: t.model,
              input_tokens: 0,
              output_tokens: 0,
              cached_input_tokens: 0,
              cost_usd: 0,
              reused_from_task_id: t.id,
            }
          : {
              session_id: session.id,
              agent_role: t.agent_role,
              task_description: t.task_description,
              input_data: inputData,
              status: 'pending' as const,
              feedback: t.agent_role === input.from_role && input.feedback ? input.feedback : null,
            },
      ),
    )
    .returning(['id', 'agent_role', 'reused_from_task_id'])
    .execute()
  const newIdOf = new Map(rows.filter((r) => r.reused_from_task_id !== null).map((r) => [r.reused_from_task_id as number, r.id]))
  await copyTaskRecords(trx, newIdOf)
  const fromTask = parentTasks.find((t) => t.agent_role === input.from_role)
  await copyJournal(trx, parent.id, session.id, fromTask?.started_at ?? null)
  const attemptOf = new Map(reused.map((t) => [t.id, t.retry_count + 1]))
  const tasks = rows
    .map((r) => ({
      id: r.id,
      agent_role: r.agent_role as AgentRole,
      ...(r.reused_from_task_id !== null ? { reused_attempt: attemptOf.get(r.reused_from_task_id) ?? 1 } : {}),
    }))
    .sort((a, b) => a.id - b.id)
  return { session, tasks }
}

/** Copies the decisions and snapshots of each parent task (key) to its copy (value), in their order. */
async function copyTaskRecords(trx: Transaction<Database>, newIdOf: ReadonlyMap<number, number>): Promise<void> {
  const from = [...newIdOf.keys()]
  if (from.length === 0) return
  const decisions = await trx.selectFrom('task_decisions').selectAll().where('agent_task_id', 'in', from).orderBy('id').execute()
  if (decisions.length > 0) {
    await trx
      .insertInto('task_decisions')
      .values(
        decisions.map((d) => ({
          agent_task_id: newIdOf.get(d.agent_task_id) as number,
          decision_text: d.decision_text,
          rationale: d.rationale,
          category: d.category,
        })),
      )
      .execute()
  }
  const snapshots = await trx.selectFrom('agent_snapshots').selectAll().where('agent_task_id', 'in', from).orderBy('id').execute()
  if (snapshots.length > 0) {
    await trx
      .insertInto('agent_snapshots')
      .values(
        snapshots.map((s) => ({
          agent_task_id: newIdOf.get(s.agent_task_id) as number,
          agent_role: s.agent_role,
          context_state: JSON.stringify(s.context_state),
          capabilities: JSON.stringify(s.capabilities),
          decisions: JSON.stringify(s.decisions),
          execution_metadata: JSON.stringify(s.execution_metadata),
        })),
      )
      .execute()
  }
}

/**
 * Copies the parent's team journal (the users' decisions), oldest first, as it stood when the
 * parent's `from_role` started (all of it when that role never ran): the re-run roles read what
 * the parent's read, and a decision added to the parent afterwards stays the parent's.
 */
async function copyJournal(trx: Transaction<Database>, parentId: number, sessionId: number, asOf: Date | null): Promise<void> {
  let query = trx.selectFrom('session_decisions').selectAll().where('session_id', '=', parentId)
  if (asOf !== null) query = query.where('created_at', '<=', asOf)
  const rows = await query.orderBy('id').execute()
  if (rows.length === 0) return
  await trx
    .insertInto('session_decisions')
    .values(rows.map((d) => ({ session_id: sessionId, decision_text: d.decision_text, category: d.category, confidence: d.confidence, user_id: d.user_id })))
    .execute()
}

/** A session's parent or fork, as the session page lists it. */
export interface LineageRow {
  id: number
  feature_name: string
  status: ExecutionSession['status']
  forked_from_role: string | null
}

/** The parent of `session` (null for an original) and its forks, oldest first. */
export async function loadLineage(
  db: Kysely<Database>,
  session: Pick<ExecutionSession, 'id' | 'parent_id'>,
): Promise<{ parent: LineageRow | null; forks: LineageRow[] }> {
  const columns = ['id', 'feature_name', 'status', 'forked_from_role'] as const
  const [parent, forks] = await Promise.all([
    session.parent_id === null ? null : db.selectFrom('execution_sessions').select(columns).where('id', '=', session.parent_id).executeTakeFirst(),
    db.selectFrom('execution_sessions').select(columns).where('parent_id', '=', session.id).orderBy('id').execute(),
  ])
  return { parent: parent ?? null, forks }
}

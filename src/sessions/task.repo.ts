import { type Kysely, sql } from 'kysely'
import type { AgentSnapshot, AgentTask, Database, TaskDecision } from '../db/index.ts'

/** A session's tasks in creation (plan) order. */
export async function listTasks(db: Kysely<Database>, sessionId: number): Promise<AgentTask[]> {
  return db.selectFrom('agent_tasks').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
}

/** The agents' decisions of the given tasks, grouped by task id, oldest first. */
export async function taskDecisionsByTask(db: Kysely<Database>, taskIds: number[]): Promise<Map<number, TaskDecision[]>> {
  const byTask = new Map<number, TaskDecision[]>(taskIds.map((id) => [id, []]))
  if (taskIds.length === 0) return byTask
  const rows = await db.selectFrom('task_decisions').selectAll().where('agent_task_id', 'in', taskIds).orderBy('created_at').orderBy('id').execute()
  for (const row of rows) byTask.get(row.agent_task_id)?.push(row)
  return byTask
}

/** The newest snapshot of a task; null when it has none yet. */
export async function latestSnapshot(db: Kysely<Database>, taskId: number): Promise<AgentSnapshot | null> {
  const row = await db
    .selectFrom('agent_snapshots')
    .selectAll()
    .where('agent_task_id', '=', taskId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ?? null
}

/** The execution metadata of every snapshot of a task (one per finished attempt), oldest first: each attempt's model replies. */
export async function snapshotMetadata(db: Kysely<Database>, taskId: number): Promise<unknown[]> {
  const rows = await db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', taskId).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => r.execution_metadata)
}

/** Every agent task counted by status (for the `/metrics` gauge). */
export async function countTasksByStatus(db: Kysely<Database>): Promise<{ status: AgentTask['status']; n: number }[]> {
  return db.selectFrom('agent_tasks').select(['status', sql<number>`count(*)::int`.as('n')]).groupBy('status').execute()
}

/** Model tokens used by all agent tasks, by model (tasks without a model left out). */
export async function tokensByModel(db: Kysely<Database>): Promise<{ model: string; input: number; output: number }[]> {
  const rows = await db
    .selectFrom('agent_tasks')
    .select(['model', sql<number>`coalesce(sum(input_tokens), 0)::bigint`.as('input'), sql<number>`coalesce(sum(output_tokens), 0)::bigint`.as('output')])
    .where('model', 'is not', null)
    .groupBy('model')
    .execute()
  return rows.map((r) => ({ model: r.model ?? '', input: Number(r.input), output: Number(r.output) }))
}

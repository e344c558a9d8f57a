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

/**
 * A snapshot's `context_state` with its prompt whole: the `system_parts` a snapshot stores
 * (inline text and `{ text_ref }` names of `snapshot_texts` rows, migration 0130) joined back
 * into `prompt.system`. Snapshots written before are read as they are.
 */
const contextStateWhole = sql<unknown>`case when jsonb_typeof(context_state #> '{prompt,system_parts}') = 'array' then
  jsonb_set(context_state #- '{prompt,system_parts}', '{prompt,system}', to_jsonb(coalesce((
    select string_agg(coalesce(t.body, p.part #>> '{}'), '' order by p.n)
    from jsonb_array_elements(context_state #> '{prompt,system_parts}') with ordinality as p(part, n)
    left join snapshot_texts t on jsonb_typeof(p.part) = 'object' and t.hash = p.part->>'text_ref'), '')))
  else context_state end`

/** The newest snapshot of a task, its prompt whole; null when it has none yet. */
export async function latestSnapshot(db: Kysely<Database>, taskId: number): Promise<AgentSnapshot | null> {
  const row = await db
    .selectFrom('agent_snapshots')
    .select(['id', 'agent_task_id', 'agent_role', contextStateWhole.as('context_state'), 'capabilities', 'decisions', 'execution_metadata', 'created_at'])
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

import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import type { EventData } from './event-data.ts'

// The JSON fields these queries read, checked against the types' one definition (literals in the
// SQL text: `distinct on` must match `order by` as written).
const TASK_ID = sql.lit('task_id' satisfies keyof EventData<'task_retrying'> & keyof EventData<'task_progress'>)
const ATTEMPT = sql.lit('attempt' satisfies keyof EventData<'task_progress'>)
const ANALYSIS = sql.lit('analysis' satisfies keyof EventData<'task_progress'>)

/** When each retry of a session's tasks was scheduled (its `task_retrying` events), oldest first. */
export async function retryTimes(db: Kysely<Database>, sessionId: number): Promise<{ task_id: number; at: string }[]> {
  const rows = await db
    .selectFrom('session_events')
    .select(['at', sql<string>`data->>${TASK_ID}`.as('task_id')])
    .where('session_id', '=', sessionId)
    .where('type', '=', 'task_retrying')
    .orderBy('seq')
    .execute()
  return rows.map((r) => ({ task_id: Number(r.task_id), at: r.at.toISOString() }))
}

/**
 * The latest `task_progress` of each of a session's tasks: the attempt that streamed it and the
 * whole analysis so far (each progress event carries all of it, so the latest is enough).
 */
export async function latestProgress(
  db: Kysely<Database>,
  sessionId: number,
): Promise<{ task_id: number; attempt: number; analysis: string }[]> {
  const { rows } = await sql<{ task_id: string; attempt: string | null; analysis: string | null }>`
    select distinct on (data->>${TASK_ID}) data->>${TASK_ID} as task_id, data->>${ATTEMPT} as attempt, data->>${ANALYSIS} as analysis
    from session_events
    where session_id = ${sessionId} and type = 'task_progress'
    order by data->>${TASK_ID}, seq desc`.execute(db)
  return rows.map((r) => ({ task_id: Number(r.task_id), attempt: Number(r.attempt), analysis: r.analysis ?? '' }))
}

import type { Kysely } from 'kysely'
import type { JobProgress } from '../actors/index.ts'
import type { Database } from '../db/index.ts'
import { appendEvents, type EventBus } from '../events/index.ts'
import type { Logger } from '../log/index.ts'
import type { AgentProgress } from './run-agent.job.ts'

export interface ProgressWriterDeps {
  db: Kysely<Database>
  bus: EventBus
  log: Logger
  /** At most one `task_progress` event per task per this many milliseconds. */
  minIntervalMs?: number
}

/** How much of the streamed analysis one progress event carries. */
const MAX_ANALYSIS = 4000

/**
 * Turns the agents' streaming progress into throttled `task_progress` events. An event
 * is written only while its attempt is still the task's running one, under the
 * session's event lock, so a late progress report can never land after the task's
 * completion in the log. Never throws.
 */
export function createProgressWriter(deps: ProgressWriterDeps): (progress: JobProgress) => void {
  const minInterval = deps.minIntervalMs ?? 500
  const lastWrite = new Map<number, number>()
  const write = async (p: AgentProgress): Promise<void> => {
    const events = await deps.db.transaction().execute(async (trx) => {
      await trx.selectFrom('execution_sessions').select('id').where('id', '=', p.session_id).forUpdate().executeTakeFirst()
      const task = await trx
        .selectFrom('agent_tasks')
        .select(['status', 'retry_count', 'retry_at'])
        .where('id', '=', p.task_id)
        .executeTakeFirst()
      if (!task || task.status !== 'running' || task.retry_count !== p.attempt - 1 || task.retry_at !== null) return []
      return appendEvents(trx, p.session_id, [
        {
          type: 'task_progress',
          data: { task_id: p.task_id, agent_role: p.role, attempt: p.attempt, analysis: p.analysis.slice(0, MAX_ANALYSIS), chars: p.chars },
        },
      ])
    })
    await deps.bus.publish(events)
  }
  return (progress) => {
    if (progress.kind !== 'run-agent') return
    const p = progress.data as AgentProgress
    if (!p || typeof p.task_id !== 'number' || typeof p.session_id !== 'number') return
    const now = Date.now()
    if (now - (lastWrite.get(p.task_id) ?? 0) < minInterval) return
    lastWrite.set(p.task_id, now)
    if (lastWrite.size > 10_000) lastWrite.clear()
    write(p).catch((error: unknown) => deps.log.warn('could not record agent progress', { task_id: p.task_id, error }))
  }
}

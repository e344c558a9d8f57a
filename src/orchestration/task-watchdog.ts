import { type Kysely, sql } from 'kysely'
import type { PeriodicSchedule } from '../actors/index.ts'
import { type AgentRole, isAgentRole } from '../agents/index.ts'
import type { Database } from '../db/index.ts'
import { TaskFailed } from './messages.ts'

/** Beyond TASK_TIMEOUT_MS, how long a running task may show no sign of life before the watchdog fails it. */
export const WATCHDOG_MARGIN_MS = 60_000

/** A task the watchdog found stuck. */
export interface StuckTask {
  session_id: number
  agent_role: AgentRole
  attempt: number
}

/**
 * Tasks of active sessions that are `running` (not waiting for a retry) with no job of their
 * agent, no timer or outbox message for their agent or supervisor, and no event in their
 * session for longer than `staleMs`: what a lost message would leave running forever.
 */
export async function findStuckTasks(db: Kysely<Database>, staleMs: number, limit = 100): Promise<StuckTask[]> {
  const { rows } = await sql<{ session_id: number; agent_role: string; retry_count: number }>`
    select t.session_id, t.agent_role, t.retry_count
    from agent_tasks t
    join execution_sessions s on s.id = t.session_id and s.status = 'active'
    where t.status = 'running' and t.retry_at is null
      and coalesce((select max(e.at) from session_events e where e.session_id = t.session_id), t.started_at, s.started_at)
        < now() - make_interval(secs => ${staleMs / 1000})
      and not exists (select 1 from actor_jobs j where j.actor = 'agent/' || t.session_id || '/' || t.agent_role)
      and not exists (select 1 from actor_timers m where m.actor in ('agent/' || t.session_id || '/' || t.agent_role, 'session/' || t.session_id))
      and not exists (select 1 from actor_outbox o where o.envelope like '%"to":"agent/' || t.session_id || '/' || t.agent_role || '"%'
        or o.envelope like '%"to":"session/' || t.session_id || '"%')
    order by t.id
    limit ${limit}`.execute(db)
  return rows.flatMap((r) => (isAgentRole(r.agent_role) ? [{ session_id: Number(r.session_id), agent_role: r.agent_role, attempt: r.retry_count + 1 }] : []))
}

/**
 * The periodic watchdog: each stuck task's supervisor is told its attempt failed, for good
 * (no retry), so the usual supervision ends the task and its session.
 */
export function taskWatchdogSchedule(options: { taskTimeoutMs: number; everyMs?: number; marginMs?: number }): PeriodicSchedule {
  const staleMs = options.taskTimeoutMs + (options.marginMs ?? WATCHDOG_MARGIN_MS)
  return {
    name: 'tasks.watchdog',
    everyMs: options.everyMs ?? 30_000,
    async run({ db, log, tell }) {
      for (const task of await findStuckTasks(db, staleMs)) {
        const error = `the task was stuck: running with no job and no pending message for over ${Math.round(staleMs / 1000)} s`
        log.warn('failing a stuck task', { session_id: task.session_id, agent_role: task.agent_role, attempt: task.attempt })
        await tell(`session/${task.session_id}`, TaskFailed({ role: task.agent_role, attempt: task.attempt, error, retryable: false }))
      }
    },
  }
}

import type { ActorContext, Behaviour, PeriodicSchedule } from '../actors/index.ts'
import { createPriceTable } from '../agents/index.ts'
import type { Config } from '../config/index.ts'
import type { EventBus, SessionEvent } from '../events/index.ts'
import type { Logger } from '../log/index.ts'
import { roleModels } from '../sessions/index.ts'
import { createAgentBehaviour } from './agent.actor.ts'
import { endedSessionActorsSchedule } from './ended-session-actors.ts'
import { streamedUsage, unpricedModelLogger } from './budget-progress.ts'
import { createSessionSupervisorBehaviour } from './session-supervisor.actor.ts'
import { taskWatchdogSchedule } from './task-watchdog.ts'

/** The Worker entry that runs `run-agent` jobs. */
export const AGENT_WORKER_ENTRY = new URL('./agent-jobs.worker.ts', import.meta.url)

/**
 * The behaviours every actor node registers: the session supervisor and the agent.
 * Committed events are announced on `bus` once their commit has happened.
 */
export function createSessionBehaviours(deps: { config: Config; bus: EventBus; log: Logger }): Behaviour[] {
  const { config, bus, log } = deps
  const pricing = { modelOf: roleModels(config), prices: createPriceTable(config.MODEL_PRICES) }
  const announce = (ctx: ActorContext, events: SessionEvent[]): void => {
    if (events.length === 0) return
    ctx.afterCommit(() => bus.publish(events).catch((error: unknown) => log.warn('event announcement failed', { error })))
  }
  return [
    createSessionSupervisorBehaviour({
      policy: {
        maxRetries: config.TASK_MAX_RETRIES,
        baseDelayMs: config.TASK_RETRY_BASE_MS,
        maxDelayMs: Math.max(config.TASK_RETRY_BASE_MS, 60_000),
        random: Math.random,
      },
      announce,
      budget: pricing,
    }),
    createAgentBehaviour({
      taskTimeoutMs: config.TASK_TIMEOUT_MS,
      nodeId: config.NODE_ID,
      announce,
      streamedUsage: streamedUsage(pricing),
      unpricedModel: unpricedModelLogger(pricing, log),
    }),
  ]
}

/** The cluster-wide periodic tasks of sessions: the watchdog that fails tasks left running with nothing to move them, and the pruning of ended sessions' registry rows. */
export function sessionSchedules(config: Config): PeriodicSchedule[] {
  return [taskWatchdogSchedule({ taskTimeoutMs: config.TASK_TIMEOUT_MS }), endedSessionActorsSchedule()]
}

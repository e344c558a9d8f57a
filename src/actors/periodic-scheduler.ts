import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import type { Logger } from '../log/index.ts'
import { claimSchedule, upsertSchedule } from './schedules.repo.ts'

/** What a periodic task gets when it runs. */
export interface PeriodicContext {
  db: Kysely<Database>
  log: Logger
  nodeId: string
  /** Aborted when the node stops. */
  signal: AbortSignal
}

/**
 * A task that runs once per period across the whole cluster, whatever the number of
 * nodes (the seed's Celery Beat): maintenance, reapers.
 * @example
 * const reaper: PeriodicSchedule = { name: 'sessions.reaper', everyMs: 60_000, run: ({ db }) => failStuckSessions(db) }
 * await startActorNode({ ...deps, schedules: [reaper] })
 */
export interface PeriodicSchedule {
  /** Unique across the cluster. */
  name: string
  everyMs: number
  run(ctx: PeriodicContext): Promise<void>
}

/** A running scheduler. */
export interface PeriodicScheduler {
  stop(): Promise<void>
}

/**
 * Registers `schedules` and, every `checkEveryMs`, claims each due one atomically in
 * PostgreSQL: exactly one node per period runs it. A failing run is logged; the next
 * period runs again.
 */
export async function startPeriodicScheduler(options: {
  db: Kysely<Database>
  log: Logger
  nodeId: string
  schedules: PeriodicSchedule[]
  checkEveryMs?: number
}): Promise<PeriodicScheduler> {
  const { db, log, nodeId, schedules } = options
  for (const s of schedules) await upsertSchedule(db, s.name, s.everyMs)
  const abort = new AbortController()
  const checkEvery = options.checkEveryMs ?? Math.max(50, Math.min(1000, ...schedules.map((s) => Math.floor(s.everyMs / 2))))
  const loop = (async () => {
    while (!abort.signal.aborted) {
      for (const s of schedules) {
        if (abort.signal.aborted) break
        try {
          if (await claimSchedule(db, s.name, nodeId)) await s.run({ db, log, nodeId, signal: abort.signal })
        } catch (error) {
          log.warn('periodic task failed', { schedule: s.name, error: String(error) })
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, checkEvery)
        abort.signal.addEventListener('abort', () => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  })()
  return {
    async stop() {
      abort.abort()
      await loop
    },
  }
}

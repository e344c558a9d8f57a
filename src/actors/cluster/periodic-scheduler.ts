import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { claimSchedule, upsertSchedule } from '../storage/index.ts'
import type { Message } from '../model/index.ts'

/** What a periodic task gets when it runs. */
export interface PeriodicContext {
  db: Kysely<Database>
  log: Logger
  nodeId: string
  /** Aborted when the node stops. */
  signal: AbortSignal
  /** Sends a message to an actor (durably, through the node's client). */
  tell(to: string, message: Message): Promise<void>
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
 * PostgreSQL: exactly one node per period runs it. Each schedule runs on its own: a slow
 * run (a vacuum of a large table) holds back neither the other schedules nor the loop, and
 * a schedule is not claimed again by this node while its previous run goes on. A failing
 * run is logged; the next period runs again. `stop()` waits for the runs in progress.
 */
export async function startPeriodicScheduler(options: {
  db: Kysely<Database>
  log: Logger
  nodeId: string
  schedules: PeriodicSchedule[]
  checkEveryMs?: number
  /** How a schedule sends messages; without it, `ctx.tell` rejects. */
  tell?: (to: string, message: Message) => Promise<void>
}): Promise<PeriodicScheduler> {
  const { db, log, nodeId, schedules } = options
  const tell = options.tell ?? (() => Promise.reject(new Error('this scheduler cannot send messages')))
  for (const s of schedules) await upsertSchedule(db, s.name, s.everyMs)
  const abort = new AbortController()
  const checkEvery = options.checkEveryMs ?? Math.max(50, Math.min(1000, ...schedules.map((s) => Math.floor(s.everyMs / 2))))
  const running = new Map<string, Promise<void>>()
  const start = (s: PeriodicSchedule): void => {
    const run = Promise.resolve()
      .then(() => s.run({ db, log, nodeId, signal: abort.signal, tell }))
      .catch((error: unknown) => log.warn('periodic task failed', { schedule: s.name, error: String(error) }))
      .finally(() => running.delete(s.name))
    running.set(s.name, run)
  }
  const loop = (async () => {
    while (!abort.signal.aborted) {
      for (const s of schedules) {
        if (abort.signal.aborted) break
        if (running.has(s.name)) continue
        try {
          if (await claimSchedule(db, s.name, nodeId)) start(s)
        } catch (error) {
          log.warn('periodic task not claimed', { schedule: s.name, error: String(error) })
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
      await Promise.all(running.values())
    },
  }
}

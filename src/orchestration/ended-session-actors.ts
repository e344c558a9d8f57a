import { type Kysely, sql } from 'kysely'
import type { PeriodicSchedule } from '../actors/index.ts'
import type { Database } from '../db/index.ts'

/** How long after its session ended an agent's registry row is kept (late messages still find their supervisor). */
export const ENDED_SESSION_ACTORS_RETENTION_MS = 10 * 60_000

/**
 * Deletes up to `limit` registry rows of agents (`agent/<session>/<role>`) whose session ended
 * over `retentionMs` ago or no longer exists: an ended session needs none of them (a later
 * spawn records a row again). Reads from the registry side, which stays small, not from the
 * sessions, which only grow. Returns how many went.
 */
export async function pruneEndedSessionActors(db: Kysely<Database>, retentionMs: number, limit = 1000): Promise<number> {
  const { numAffectedRows } = await sql`
    with doomed as (
      select r.address from actor_registry r
      left join execution_sessions s
        on s.id = case when split_part(r.address, '/', 2) ~ '^[0-9]{1,18}$' then split_part(r.address, '/', 2)::bigint end
      where r.kind = 'agent' and split_part(r.address, '/', 2) ~ '^[0-9]{1,18}$'
        and (s.id is null or (s.status <> 'active' and s.ended_at < now() - make_interval(secs => ${retentionMs / 1000})))
      limit ${limit}
    )
    delete from actor_registry where address in (select address from doomed)`.execute(db)
  return Number(numAffectedRows ?? 0)
}

/** The periodic task that keeps actor_registry to what live sessions need, in bounded batches. */
export function endedSessionActorsSchedule(options: { retentionMs?: number; everyMs?: number; batch?: number } = {}): PeriodicSchedule {
  return {
    name: 'sessions.prune-ended-actors',
    everyMs: options.everyMs ?? 60_000,
    async run({ db, log, signal }) {
      let total = 0
      // A few batches per run: a backlog drains over some runs without one long statement.
      for (let i = 0; i < 5 && !signal.aborted; i++) {
        const n = await pruneEndedSessionActors(db, options.retentionMs ?? ENDED_SESSION_ACTORS_RETENTION_MS, options.batch ?? 1000)
        total += n
        if (n < (options.batch ?? 1000)) break
      }
      if (total > 0) log.debug('registry rows of ended sessions removed', { rows: total })
    },
  }
}

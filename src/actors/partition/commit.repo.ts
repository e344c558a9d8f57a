import { sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { CommitEffects, DeferredWrites } from '../handling/index.ts'
import { jobInsert, outboxInsert, type OutboxMessage, spawnUpsert } from '../storage/index.ts'

/** Writes the rows handlers appended (`ctx.append`): one multi-row INSERT per table, in order. */
export async function writeAppends(trx: Transaction<Database>, effects: CommitEffects): Promise<void> {
  for (const [table, rows] of effects.appends) {
    for (let i = 0; i < rows.length; i += 1000) {
      // Each row was type-checked against its table when appended.
      await trx
        .insertInto(table as keyof Database)
        .values(rows.slice(i, i + 1000) as never)
        .execute()
    }
  }
}

/** What the last statement of a commit must do. */
export interface CommitTail {
  partition: number
  nodeId: string
  epoch: number
  /** Bound on how long this transaction may then sit idle (a frozen node must not hold locks). */
  idleTimeoutMs: number
  /** Message ids to record in the inbox now (the optimistic path); empty when already recorded. */
  inbox: string[]
  /** Handled (or dead-lettered) message ids to remove from the outbox. */
  handled: string[]
  /** Messages the handlers sent. */
  outbox: OutboxMessage[]
  /** Actors activated without reading their registry entry: any of them stopped means roll back. */
  activated: string[]
  /** Jobs, spawns and finished jobs the handlers' writes left for this statement. */
  deferred: DeferredWrites
}

/** Why `finishCommit` failed its statement ('fenced' or 'duplicate'); null for any other error. */
export function commitRefusal(error: unknown): 'fenced' | 'duplicate' | null {
  const message = error instanceof Error ? error.message : ''
  if (message.includes(REFUSED.fenced)) return 'fenced'
  if (message.includes(REFUSED.duplicate)) return 'duplicate'
  return null
}

/** Failing casts with these texts: the error message names the reason. */
const REFUSED = { fenced: 'sage-commit-refused:fenced', duplicate: 'sage-commit-refused:duplicate' } as const

/** What the last statement found, when it passed its checks. */
export interface CommitCheck {
  /** Ids of the deferred jobs that were inserted (the others were recorded before, or their condition failed: not run). */
  insertedJobs: Set<string>
}

/**
 * The end of every batch commit in one round trip: the fence (FOR SHARE on the lease
 * row at this node's epoch, so a takeover waits for this commit), the inbox, the
 * outbox deletes and inserts, and the writes handlers left for it (jobs, spawns, the
 * finished jobs' rows). The statement fails, aborting the transaction (so a COMMIT sent
 * right behind it rolls back), when the lease is not this node's ('fenced', see
 * commitRefusal), or when an inbox id was not fresh, an activated actor is stopped or a
 * finished job's row is gone ('duplicate').
 */
export async function finishCommit(trx: Transaction<Database>, t: CommitTail): Promise<CommitCheck> {
  const { jobs, spawns, finishedJobs } = t.deferred
  const { rows } = await sql<{ jobs: string[] }>`
    with
      fence as (
        select 1 as ok, set_config('idle_in_transaction_session_timeout', ${String(t.idleTimeoutMs)}, true)
        from actor_partitions where partition = ${t.partition} and owner = ${t.nodeId} and epoch = ${t.epoch} for share
      ),
      inbox as (
        insert into actor_inbox (message_id, partition)
        select m, ${t.partition}::int from unnest(${t.inbox}::text[]) as m
        on conflict (message_id) do nothing returning 1
      ),
      handled as (
        delete from actor_outbox where message_id = any(${t.handled}::text[])
      ),
      sent as (${outboxInsert(t.outbox)}),
      jobs as (${jobInsert(jobs)}),
      finished as (
        delete from actor_jobs where id = any(${finishedJobs}::text[]) returning 1
      ),
      spawned as (${spawnUpsert(spawns)}),
      checked as (
        select (select count(*) from fence)::int as fenced, (select count(*) from inbox)::int as fresh,
          (select count(*) from actor_registry where address = any(${t.activated}::text[]) and status = 'stopped')::int as stopped,
          (select count(*) from finished)::int as finished
      )
    select coalesce((select array_agg(id) from jobs), '{}') as jobs,
      -- set_config is volatile, so the failing cast happens only in the branch taken.
      case when fenced = 0 then set_config('sage.commit_check', ${REFUSED.fenced}, true)::int
        when fresh < ${t.inbox.length} or stopped > 0 or finished < ${finishedJobs.length}
          then set_config('sage.commit_check', ${REFUSED.duplicate}, true)::int
        else 0 end as refused
    from checked`.execute(trx)
  return { insertedJobs: new Set(rows[0]?.jobs ?? []) }
}

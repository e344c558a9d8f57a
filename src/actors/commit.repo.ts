import { sql, type Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import type { CommitEffects, DeferredWrites } from './actor-context.ts'
import { jobInsert } from './jobs.repo.ts'
import type { OutboxMessage } from './outbox.repo.ts'

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
  /**
   * Fail the statement (aborting the transaction, so a COMMIT sent behind it rolls back)
   * instead of reporting: when the lease is not this node's (`CommitRefused` 'fenced'), or
   * when an inbox id was not fresh, an activated actor is stopped or a finished job's row
   * is gone ('duplicate').
   */
  failUnless: boolean
}

/** Why `finishCommit` failed its statement (see CommitTail.failUnless); null for any other error. */
export function commitRefusal(error: unknown): 'fenced' | 'duplicate' | null {
  const message = error instanceof Error ? error.message : ''
  if (message.includes(REFUSED.fenced)) return 'fenced'
  if (message.includes(REFUSED.duplicate)) return 'duplicate'
  return null
}

/** Failing casts with these texts: the error message names the reason. */
const REFUSED = { fenced: 'sage-commit-refused:fenced', duplicate: 'sage-commit-refused:duplicate' } as const

/** What the last statement found. */
export interface CommitCheck {
  /** False when the lease was taken: the caller must roll back. */
  fenced: boolean
  /** How many of `inbox` were new (fewer: some were duplicates, the caller must roll back and redo). */
  fresh: number
  /** How many of `activated` are stopped (more than 0: roll back and redo). */
  stopped: number
  /** Ids of the deferred jobs that were inserted (the others were recorded before: not run again). */
  insertedJobs: Set<string>
  /** How many of the finished jobs' rows were removed (fewer: an outcome was handled before, or its job cancelled). */
  finishedJobs: number
}

/**
 * The end of every batch commit in one round trip: the fence (FOR SHARE on the lease
 * row at this node's epoch, so a takeover waits for this commit), the inbox, the
 * outbox deletes and inserts, and the writes handlers left for it (jobs, spawns, the
 * finished jobs' rows). The caller commits only when `fenced`, every inbox id was fresh
 * and every finished job's row was still there.
 */
export async function finishCommit(trx: Transaction<Database>, t: CommitTail): Promise<CommitCheck> {
  const { jobs, spawns, finishedJobs } = t.deferred
  const { rows } = await sql<{ fenced: number; fresh: number; stopped: number; jobs: string[]; finished: number }>`
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
      sent as (
        insert into actor_outbox (message_id, target_partition, source_partition, envelope)
        select * from unnest(
          ${t.outbox.map((m) => m.messageId)}::text[],
          ${t.outbox.map((m) => m.targetPartition)}::int[],
          ${t.outbox.map((m) => m.sourcePartition)}::int[],
          ${t.outbox.map((m) => m.envelope)}::text[])
        on conflict (message_id) do nothing
      ),
      jobs as (${jobInsert(jobs)}),
      finished as (
        delete from actor_jobs where id = any(${finishedJobs}::text[]) returning 1
      ),
      spawned as (
        insert into actor_registry (address, partition, kind, supervisor, status)
        select address, partition, kind, supervisor, 'active'
        from unnest(${spawns.map((e) => e.address)}::text[], ${spawns.map((e) => e.partition)}::int[],
          ${spawns.map((e) => e.kind)}::text[], ${spawns.map((e) => e.supervisor)}::text[]) as e(address, partition, kind, supervisor)
        on conflict (address) do update set supervisor = excluded.supervisor, status = 'active', updated_at = now()
      )
    , checked as (
      select (select count(*) from fence)::int as fenced, (select count(*) from inbox)::int as fresh,
        (select count(*) from actor_registry where address = any(${t.activated}::text[]) and status = 'stopped')::int as stopped,
        (select count(*) from finished)::int as finished
    )
    select fenced, fresh, stopped, finished, coalesce((select array_agg(id) from jobs), '{}') as jobs,
      -- set_config is volatile, so the failing cast happens only in the branch taken.
      case when not ${t.failUnless}::boolean then 0
        when fenced = 0 then set_config('sage.commit_check', ${REFUSED.fenced}, true)::int
        when fresh < ${t.inbox.length} or stopped > 0 or finished < ${finishedJobs.length}
          then set_config('sage.commit_check', ${REFUSED.duplicate}, true)::int
        else 0 end as refused
    from checked`.execute(trx)
  const row = rows[0]
  return {
    fenced: (row?.fenced ?? 0) > 0,
    fresh: row?.fresh ?? 0,
    stopped: row?.stopped ?? 0,
    insertedJobs: new Set(row?.jobs ?? []),
    finishedJobs: row?.finished ?? 0,
  }
}

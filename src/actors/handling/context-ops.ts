import type { Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { CommitEffects, ContextOp } from './actor-context.ts'
import { cancelJobs, deleteActorTimers, deleteTimer, insertJobs, insertTimer, markStopped, recordedJob, upsertSpawn } from '../storage/index.ts'

/** Where a handler's effect lands and what the commit must remember about it. */
export interface OpTarget {
  partition: number
  /** The actor whose handler asked for the effect. */
  self: string
  kind: string
  effects: CommitEffects
  /** Actors stopped in this commit (their later messages in it are dead-lettered). */
  stopped: Set<string>
  /** Children spawned in this commit, with their supervisor. */
  spawned: Map<string, string>
}

/**
 * Writes the spawns and jobs held for the commit's last statement now: before an op that
 * reads or overrides them (cancelling a job, stopping an actor, looking up a supervisor).
 */
export async function flushDeferred(trx: Transaction<Database>, effects: CommitEffects): Promise<void> {
  const { deferred } = effects
  if (deferred.spawns.length > 0) await upsertSpawn(trx, deferred.spawns.splice(0))
  if (deferred.jobs.length > 0) {
    const jobs = deferred.jobs.splice(0)
    const inserted = await insertJobs(trx, jobs)
    for (const job of jobs) if (inserted.delete(job.id)) effects.jobsToRun.push(recordedJob(job))
  }
}

/** Applies one effect a handler asked for through its context, in the commit transaction. */
async function applyContextOp(trx: Transaction<Database>, op: OpTarget & { op: ContextOp }): Promise<void> {
  const { effects } = op
  const o = op.op
  switch (o.op) {
    case 'timer':
      await insertTimer(trx, o.timer)
      return
    case 'cancel-timer':
      await deleteTimer(trx, o.actor, o.idOrKey)
      return
    case 'spawn':
      effects.deferred.spawns.push({ address: o.address, partition: o.partition, kind: o.kind, supervisor: o.supervisor })
      op.spawned.set(o.address, o.supervisor)
      op.stopped.delete(o.address)
      return
    case 'stop-self':
      await stopActorIn(trx, op)
      op.stopped.add(op.self)
      return
    case 'job':
      // Inserted by the commit's last statement; an id already recorded is the same job submitted again: it runs once.
      effects.deferred.jobs.push(o.job)
      return
    case 'cancel-job':
      await flushDeferred(trx, effects)
      effects.jobsToAbort.push(...(await cancelJobs(trx, o.actor, [o.jobId])))
      return
  }
}

/** Applies a handler's effects in order. */
export async function applyContextOps(trx: Transaction<Database>, target: OpTarget, ops: readonly ContextOp[]): Promise<void> {
  for (const op of ops) await applyContextOp(trx, { ...target, op })
}

/** Marks an actor stopped and cancels its timers and jobs (the running ones are aborted after commit). */
export async function stopActorIn(
  trx: Transaction<Database>,
  t: { partition: number; self: string; kind: string; effects: CommitEffects },
): Promise<void> {
  // A spawn or job of this commit must be written before the stop that overrides or cancels it.
  await flushDeferred(trx, t.effects)
  await markStopped(trx, { address: t.self, partition: t.partition, kind: t.kind })
  await deleteActorTimers(trx, t.self)
  t.effects.jobsToAbort.push(...(await cancelJobs(trx, t.self, 'all')))
}

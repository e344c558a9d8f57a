import type { Transaction } from 'kysely'
import type { Database } from '../db/index.ts'
import type { CommitEffects, ContextOp } from './actor-context.ts'
import { markStopped, upsertSpawn } from './actor-registry.repo.ts'
import { cancelJobs, insertJob } from './jobs.repo.ts'
import { deleteActorTimers, deleteTimer, insertTimer } from './timers.repo.ts'

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

/** Writes one effect a handler asked for through its context, in the commit transaction. */
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
      await spawnAll(trx, op, [o])
      return
    case 'stop-self':
      await stopActorIn(trx, op)
      op.stopped.add(op.self)
      return
    case 'job':
      // An id already recorded is the same job submitted again: it runs once.
      if (await insertJob(trx, o.job)) effects.jobsToRun.push({ ...o.job, attempts: 0 })
      return
    case 'cancel-job':
      effects.jobsToAbort.push(...(await cancelJobs(trx, o.actor, [o.jobId])))
      return
  }
}

type SpawnOp = Extract<ContextOp, { op: 'spawn' }>

/** Records spawns in one statement and remembers each child's supervisor for the commit. */
async function spawnAll(trx: Transaction<Database>, target: OpTarget, spawns: readonly SpawnOp[]): Promise<void> {
  await upsertSpawn(
    trx,
    spawns.map((s) => ({ address: s.address, partition: s.partition, kind: s.kind, supervisor: s.supervisor })),
  )
  for (const s of spawns) {
    target.spawned.set(s.address, s.supervisor)
    target.stopped.delete(s.address)
  }
}

/** Writes a handler's effects in order; a run of spawns (a stage of children started together) is one statement. */
export async function applyContextOps(trx: Transaction<Database>, target: OpTarget, ops: readonly ContextOp[]): Promise<void> {
  let i = 0
  while (i < ops.length) {
    let end = i
    while (ops[end]?.op === 'spawn') end++
    if (end > i) {
      await spawnAll(trx, target, ops.slice(i, end) as SpawnOp[])
      i = end
    } else {
      await applyContextOp(trx, { ...target, op: ops[i] as ContextOp })
      i++
    }
  }
}

/** Marks an actor stopped and cancels its timers and jobs (the running ones are aborted after commit). */
export async function stopActorIn(
  trx: Transaction<Database>,
  t: { partition: number; self: string; kind: string; effects: CommitEffects },
): Promise<void> {
  await markStopped(trx, { address: t.self, partition: t.partition, kind: t.kind })
  await deleteActorTimers(trx, t.self)
  t.effects.jobsToAbort.push(...(await cancelJobs(trx, t.self, 'all')))
}

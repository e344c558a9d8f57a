import { type Kysely, type Selectable, sql, type Transaction } from 'kysely'
import type { Database } from '../db/index.ts'

/** A Worker-pool job as recorded. */
export interface JobRow {
  id: string
  partition: number
  actor: string
  replyTo: string
  kind: string
  input: string
  deadlineMs: number
  attempts: number
}

/** Records a submitted job (dispatched to the pool after commit); false when its id is already recorded. */
export async function insertJob(trx: Transaction<Database>, job: Omit<JobRow, 'attempts'>): Promise<boolean> {
  const rows = await trx
    .insertInto('actor_jobs')
    .values({
      id: job.id,
      partition: job.partition,
      actor: job.actor,
      reply_to: job.replyTo,
      kind: job.kind,
      input: job.input,
      deadline_ms: job.deadlineMs,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return rows.length === 1
}

/** Removes a finished or cancelled job; returns whether it was still recorded (false: cancelled meanwhile). */
export async function finishJob(trx: Transaction<Database>, jobId: string): Promise<boolean> {
  const rows = await trx.deleteFrom('actor_jobs').where('id', '=', jobId).returning('id').execute()
  return rows.length > 0
}

/** Cancels jobs by id for an actor; returns the ids that existed. */
export async function cancelJobs(trx: Transaction<Database>, actor: string, jobIds: string[] | 'all'): Promise<string[]> {
  let q = trx.deleteFrom('actor_jobs').where('actor', '=', actor)
  if (jobIds !== 'all') {
    if (jobIds.length === 0) return []
    q = q.where('id', 'in', jobIds)
  }
  const rows = await q.returning('id').execute()
  return rows.map((r) => r.id)
}

/** A job as its row stores it. */
type JobRecord = Omit<Selectable<Database['actor_jobs']>, 'created_at'>

function toJobRow(r: JobRecord): JobRow {
  return {
    id: r.id,
    partition: r.partition,
    actor: r.actor,
    replyTo: r.reply_to,
    kind: r.kind,
    input: r.input,
    deadlineMs: r.deadline_ms,
    attempts: r.attempts,
  }
}

/** The partition's recorded jobs, with when each was submitted (epoch ms). */
export async function listPartitionJobs(db: Kysely<Database>, partition: number): Promise<Array<JobRow & { createdAt: number }>> {
  const rows = await db.selectFrom('actor_jobs').selectAll().where('partition', '=', partition).orderBy('created_at').orderBy('id').execute()
  return rows.map((r) => ({ ...toJobRow(r), createdAt: new Date(r.created_at).getTime() }))
}

/** The partition's recorded jobs (after a takeover: they ran on a node that is gone), counting this as another attempt. */
export async function claimPartitionJobs(db: Kysely<Database>, partition: number): Promise<JobRow[]> {
  const { rows } = await sql<JobRecord & { created_at: Date }>`update actor_jobs set attempts = attempts + 1 where partition = ${partition}
     returning id, partition, actor, reply_to, kind, input, deadline_ms, attempts, created_at`.execute(db)
  // In the order they were submitted (ids chosen by callers need not sort that way).
  rows.sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || (a.id < b.id ? -1 : 1))
  return rows.map(toJobRow)
}

import { type Kysely, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'

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

/** A job to record: its row, and the condition it is recorded under (if any). */
export type NewJob = Omit<JobRow, 'attempts'> & { onlyIf?: RawBuilder<boolean> }

/** The row a new job was recorded as (its first run). */
export function recordedJob({ onlyIf: _, ...job }: NewJob): JobRow {
  return { ...job, attempts: 0 }
}

/** Records submitted jobs (dispatched to the pool after commit); returns the ids that were recorded now. */
export async function insertJobs(trx: Transaction<Database>, jobs: readonly NewJob[]): Promise<Set<string>> {
  if (jobs.length === 0) return new Set()
  const { rows } = await sql<{ id: string }>`${jobInsert(jobs)}`.execute(trx)
  return new Set(rows.map((r) => r.id))
}

/**
 * The statement that records `jobs`, returning the ids it recorded: an id already
 * recorded, a repeat within `jobs`, or a job whose `onlyIf` is false is left out.
 */
export function jobInsert(jobs: readonly NewJob[]): RawBuilder<{ id: string }> {
  const seen = new Set<string>()
  const unique = jobs.filter((j) => !seen.has(j.id) && seen.add(j.id))
  const guarded = unique.flatMap((j, i) => (j.onlyIf ? [sql`when ${i + 1} then (${j.onlyIf})`] : []))
  const condition = guarded.length === 0 ? sql`true` : sql`case j.n ${sql.join(guarded, sql` `)} else true end`
  return sql<{ id: string }>`
    insert into actor_jobs (id, partition, actor, reply_to, kind, input, deadline_ms)
    select j.id, j.partition, j.actor, j.reply_to, j.kind, j.input, j.deadline_ms
    from unnest(${unique.map((j) => j.id)}::text[], ${unique.map((j) => j.partition)}::int[], ${unique.map((j) => j.actor)}::text[],
      ${unique.map((j) => j.replyTo)}::text[], ${unique.map((j) => j.kind)}::text[], ${unique.map((j) => j.input)}::text[],
      ${unique.map((j) => j.deadlineMs)}::int[]) with ordinality as j(id, partition, actor, reply_to, kind, input, deadline_ms, n)
    where ${condition}
    on conflict (id) do nothing returning id`
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

/** A recorded job's input (null: no longer recorded), to run it again after its Worker was lost. */
export async function readJobInput(db: Kysely<Database>, jobId: string): Promise<string | null> {
  const row = await db.selectFrom('actor_jobs').select('input').where('id', '=', jobId).executeTakeFirst()
  return row?.input ?? null
}

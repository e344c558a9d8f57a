import { type Kysely, sql } from 'kysely'
import type { Database } from '../../db/index.ts'

/** Whether the database answers `select 1` within `withinMs`; never throws. */
export async function databaseAnswers(db: Kysely<Database>, withinMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const probe = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  )
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), withinMs)
  })
  const answered = await Promise.race([probe, timeout])
  if (timer !== null) clearTimeout(timer)
  return answered
}

import type { Kysely, Transaction } from 'kysely'
import type { Database, ExecutionSession } from '../db/index.ts'
import { type CreateSessionInput, insertSession } from '../sessions/index.ts'
import type { SessionControl } from './session-control.ts'

/**
 * Starts a session: its row and pending tasks (the sessions repository) and the hand-off to its
 * supervisor through `control`, in one transaction (all of it commits, or none); then what the
 * hand-off does after the commit (publish the start message and the `session_started` event).
 */
export async function createSession(
  db: Kysely<Database>,
  control: SessionControl,
  userId: number,
  input: CreateSessionInput,
): Promise<ExecutionSession> {
  const { session, after } = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const { session, tasks } = await insertSession(trx, userId, input)
    return { session, after: await control.sessionCreated(trx, session, tasks) }
  })
  await after?.()
  return session
}

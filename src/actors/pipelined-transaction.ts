import { type Kysely, sql, Transaction } from 'kysely'
import type { Database } from '../db/index.ts'

/**
 * Runs `fn` in a transaction whose BEGIN is sent without waiting for its reply: the
 * connection executes statements in order, so `fn`'s first statement still runs inside
 * the transaction, but `fn` (the handlers' JavaScript) starts one round trip sooner.
 * Commits when `fn` resolves, rolls back when it throws. The caller's last statement
 * must fail on an aborted transaction (COMMIT of an aborted one silently rolls back);
 * the runtime's `finishCommit` does.
 */
export async function runPipelinedTransaction<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const begun = sql`begin`.execute(conn)
    // Observed below; without this a failed BEGIN would also surface as an unhandled rejection.
    begun.catch(() => undefined)
    // A real Transaction (so `transaction()` and `connection()` refuse nesting) bound to this
    // connection. Queries only need the executor; the placeholders serve nothing a handler calls.
    const trx = new Transaction<Database>({ config: {}, dialect: {}, driver: {}, executor: conn.getExecutor() } as never)
    let result: T
    try {
      result = await fn(trx)
      await begun
    } catch (error) {
      // A failed BEGIN means a broken connection: there is nothing to roll back.
      await begun.then(
        () => sql`rollback`.execute(conn).catch(() => undefined),
        () => undefined,
      )
      throw error
    }
    await sql`commit`.execute(conn)
    return result
  })
}

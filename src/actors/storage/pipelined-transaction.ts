import {
  AbortedTransactionError,
  CompiledQuery,
  type ConnectionProvider,
  type DatabaseConnection,
  type Kysely,
  SingleConnectionProvider,
  Transaction,
} from 'kysely'
import type { Database } from '../../db/index.ts'

const BEGIN = CompiledQuery.raw('begin')
const COMMIT = CompiledQuery.raw('commit')
const ROLLBACK = CompiledQuery.raw('rollback')

/** What `fn` may do besides running statements. */
export interface PipelinedControls {
  /**
   * Sends COMMIT now, right behind the statements already issued, without waiting for
   * their answers (one round trip less). Only for a last statement that fails, aborting
   * the transaction, in every case where the commit must not happen: once this is
   * called, nothing `fn` does afterwards can stop the commit.
   */
  commitNow(): void
}

/**
 * Runs `fn` in a transaction whose BEGIN is sent without waiting for its reply, and only
 * once `fn` has started: right after `fn`'s synchronous start (the handlers' first
 * lines), or before `fn`'s first statement if that comes sooner. The connection executes
 * statements in order, so every statement of `fn` still runs inside the transaction, but
 * `fn` starts without a BEGIN round trip or socket write in front of it. Commits when
 * `fn` resolves (rejecting with AbortedTransactionError if PostgreSQL rolled back
 * instead), rolls back when it throws. The caller's last statement must fail on an
 * aborted transaction; the runtime's `finishCommit` does.
 */
export async function runPipelinedTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>, controls: PipelinedControls) => Promise<T>,
): Promise<T> {
  const executor = db.getExecutor()
  return executor.provideConnection(async (connection: DatabaseConnection) => {
    // One statement at a time on the connection, in the order they were issued.
    const single = new SingleConnectionProvider(connection)
    const run = (query: CompiledQuery) => single.provideConnection((c) => c.executeQuery(query))
    let begun: Promise<unknown> | null = null
    const begin = (): Promise<unknown> => {
      if (begun === null) {
        // Not behind the statement mutex: the connection queues it first anyway, and a driver
        // that pipelines (pg's `pipeline` option) then sends the first statement without
        // waiting for BEGIN's reply.
        begun = connection.executeQuery(BEGIN)
        // Observed below; without this a failed BEGIN would also surface as an unhandled rejection.
        begun.catch(() => undefined)
      }
      return begun
    }
    const provider: ConnectionProvider = {
      provideConnection(consumer) {
        begin()
        return single.provideConnection(consumer)
      },
    }
    // A real Transaction (so `transaction()` and `connection()` refuse nesting) bound to this
    // connection. Queries only need the executor; the placeholders serve nothing a handler calls.
    const trx = new Transaction<Database>({ config: {}, dialect: {}, driver: {}, executor: executor.withConnectionProvider(provider) } as never)
    let committing: Promise<{ rows: unknown[] }> | null = null
    const controls: PipelinedControls = {
      commitNow() {
        begin()
        // Behind the statements in flight (the connection answers in order), not behind the mutex.
        committing ??= connection.executeQuery(COMMIT)
        committing.catch(() => undefined)
      },
    }
    let result: T
    try {
      const running = fn(trx, controls)
      begin()
      result = await running
      await begun
    } catch (error) {
      // Sent already: PostgreSQL committed only if every statement succeeded (see commitNow), else rolled back.
      if (committing) await (committing as Promise<unknown>).catch(() => undefined)
      // A failed BEGIN means a broken connection: there is nothing to roll back.
      else
        await begin().then(
          () => run(ROLLBACK).catch(() => undefined),
          () => undefined,
        )
      throw error
    }
    const { rows } = await (committing ?? run(COMMIT))
    // PostgreSQL answers COMMIT with ROLLBACK when a statement failed and left the transaction aborted.
    if ((rows[0] as { command?: string } | undefined)?.command === 'ROLLBACK') throw new AbortedTransactionError()
    return result
  })
}

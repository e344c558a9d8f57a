/** The runtime's commit transaction: BEGIN sent ahead of the handlers, one transaction, failures never committed. */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AbortedTransactionError, sql } from 'kysely'
import { runPipelinedTransaction } from '../../src/actors/storage/index.ts'
import { testServices } from '../support/services.ts'
import { openTestDatabase, type TestDatabase } from './support/harness.ts'

setDefaultTimeout(60_000)

for (const engine of testServices().postgresUrl ? (['postgres', 'pglite'] as const) : (['pglite'] as const)) {
  describe(`runPipelinedTransaction (${engine})`, () => {
    let database: TestDatabase
    beforeAll(async () => {
      database = await openTestDatabase(engine)
      await sql`create table ptx_marks (n int not null)`.execute(database.handle.db)
    })
    afterAll(async () => {
      await database?.close()
    })
    const marks = async (): Promise<number[]> =>
      (await sql<{ n: number }>`select n from ptx_marks order by n`.execute(database.handle.db)).rows.map((r) => r.n)

    it('runs every statement of the function in one transaction and commits it', async () => {
      const ids = await runPipelinedTransaction(database.handle.db, async (trx) => {
        const a = await sql<{ x: string }>`select txid_current()::text as x`.execute(trx)
        await sql`insert into ptx_marks (n) values (1)`.execute(trx)
        const b = await sql<{ x: string }>`select txid_current()::text as x`.execute(trx)
        return [a.rows[0]?.x, b.rows[0]?.x]
      })
      expect(ids[0]).toBe(ids[1] as string)
      expect(await marks()).toContain(1)
    })

    it('rolls back when the function throws', async () => {
      const run = runPipelinedTransaction(database.handle.db, async (trx) => {
        await sql`insert into ptx_marks (n) values (2)`.execute(trx)
        throw new Error('handler failed')
      })
      await expect(run).rejects.toThrow('handler failed')
      expect(await marks()).not.toContain(2)
    })

    it('commits with COMMIT sent behind the last statement, before its answer', async () => {
      const answer = await runPipelinedTransaction(database.handle.db, async (trx, controls) => {
        await sql`insert into ptx_marks (n) values (4)`.execute(trx)
        const last = sql<{ n: number }>`select count(*)::int as n from ptx_marks where n = 4`.execute(trx)
        controls.commitNow()
        return (await last).rows[0]?.n
      })
      expect(answer).toBe(1)
      expect(await marks()).toContain(4)
    })

    it('rolls back when the statement COMMIT was sent behind fails', async () => {
      const run = runPipelinedTransaction(database.handle.db, async (trx, controls) => {
        await sql`insert into ptx_marks (n) values (5)`.execute(trx)
        const last = sql`select set_config('ptx.check', 'refused', true)::int`.execute(trx)
        controls.commitNow()
        await last
      })
      await expect(run).rejects.toThrow('refused')
      expect(await marks()).not.toContain(5)
      // The pool's connections are usable again.
      await runPipelinedTransaction(database.handle.db, async (trx) => {
        await sql`insert into ptx_marks (n) values (6)`.execute(trx)
      })
      expect(await marks()).toContain(6)
    })

    it('never commits after a failed statement, even one the function swallowed', async () => {
      const run = runPipelinedTransaction(database.handle.db, async (trx) => {
        await sql`insert into ptx_marks (n) values (3)`.execute(trx)
        await sql`select 1 / 0`.execute(trx).catch(() => 'ignored')
      })
      // pg reports COMMIT's answer (ROLLBACK), so the caller hears of it; PGlite's driver does not
      // say, which is why the runtime's own last statement (finishCommit) must fail in that case.
      if (engine === 'postgres') await expect(run).rejects.toBeInstanceOf(AbortedTransactionError)
      else await run.catch(() => undefined)
      expect(await marks()).not.toContain(3)
    })
  })
}

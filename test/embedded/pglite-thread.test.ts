import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { connectDatabase, type DatabaseHandle } from '../../src/db/index.ts'
import { buildPgliteTemplate } from '../../src/db/pglite-template.ts'
import { silentLogger } from '../../src/log/index.ts'

// Opening PGlite (from the template) under load: more than bun's 5 s default.
setDefaultTimeout(120_000)

interface Scratch {
  items: { id: number; at: Date; doc: unknown }
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

async function open(thread: 'worker' | 'main'): Promise<DatabaseHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-thread-'))
  dirs.push(dir)
  return connectDatabase({ dataDir: join(dir, 'data'), pgliteThread: thread, log: silentLogger() })
}

/** Whether a timer set just before a 2 s query fires before the query answers. */
async function timerFiresDuringQuery(db: Kysely<Scratch>): Promise<boolean> {
  const order: string[] = []
  setTimeout(() => order.push('timer'), 1)
  await sql`select pg_sleep(2)`.execute(db).then(() => order.push('query'))
  await Bun.sleep(5)
  return order[0] === 'timer'
}

describe('PGlite in its own Worker (the embedded default)', () => {
  let handle: DatabaseHandle
  let db: Kysely<Scratch>

  beforeAll(async () => {
    await buildPgliteTemplate()
    handle = await open('worker')
    db = handle.db as unknown as Kysely<Scratch>
    await sql`create table items (id int8 primary key, at timestamptz not null, doc jsonb not null)`.execute(db)
  })
  afterAll(async () => {
    await handle.close()
  })

  it('round-trips int8 as a number, timestamps as Dates and JSON as objects', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z')
    await db.insertInto('items').values({ id: 9_007_199_254_740, at, doc: JSON.stringify({ a: [1, 'two'] }) }).execute()
    const row = await db.selectFrom('items').selectAll().where('id', '=', 9_007_199_254_740).executeTakeFirstOrThrow()
    expect(row).toEqual({ id: 9_007_199_254_740, at, doc: { a: [1, 'two'] } })
  })

  it("answers a failed statement with PostgreSQL's error fields (a unique violation is 23505)", async () => {
    const values = { id: 1, at: new Date(), doc: '{}' }
    await db.insertInto('items').values(values).execute()
    const error = (await db.insertInto('items').values(values).execute().catch((e: unknown) => e)) as { code?: string; constraint?: string }
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('23505')
    expect(error.constraint).toBe('items_pkey')
  })

  it('commits a transaction, and rolls back one that throws', async () => {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 2, at: new Date(), doc: '{}' }).execute()
    })
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 3, at: new Date(), doc: '{}' }).execute()
      throw new Error('changed my mind')
    })
    // Awaited with catch: bun's `expect(pending).rejects` does not deliver Worker messages while it waits.
    expect(((await failed.catch((e: unknown) => e)) as Error).message).toBe('changed my mind')
    const ids = await db.selectFrom('items').select('id').where('id', 'in', [2, 3]).execute()
    expect(ids.map((r) => r.id)).toEqual([2])
  })

  it('keeps an open transaction isolated: a query issued meanwhile waits and never sees its rolled-back rows', async () => {
    const { promise: inserted, resolve: onInserted } = Promise.withResolvers<void>()
    const { promise: gate, resolve: release } = Promise.withResolvers<void>()
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 4, at: new Date(), doc: '{}' }).execute()
      onInserted()
      await gate
      throw new Error('roll back')
    })
    await inserted
    const outside = db.selectFrom('items').select('id').where('id', '=', 4).execute()
    release()
    expect(((await tx.catch((e: unknown) => e)) as Error).message).toBe('roll back')
    expect(await outside).toEqual([])
  })

  it('leaves the main thread free while a query runs', async () => {
    expect(await timerFiresDuringQuery(db)).toBe(true)
  })
})

describe('PGlite on the main thread (pgliteThread: main), for comparison', () => {
  it('holds the main thread for the whole query', async () => {
    const handle = await open('main')
    try {
      expect(await timerFiresDuringQuery(handle.db as unknown as Kysely<Scratch>)).toBe(false)
    } finally {
      await handle.close()
    }
  })
})

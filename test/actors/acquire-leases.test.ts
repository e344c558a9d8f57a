import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'
import { ensurePartitions } from '../../src/actors/storage/index.ts'
import { acquireLeases } from '../../src/actors/cluster/acquire-leases.ts'

// A scratch database and every migration: more than bun's 5 s default.
setDefaultTimeout(60_000)

const pgUrl = testServices().postgresUrl

describe.skipIf(!pgUrl)('acquireLeases (one statement for a node’s free partitions)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>
  let handle: DatabaseHandle
  let other: DatabaseHandle

  beforeAll(async () => {
    scratch = await createScratchDatabase('leases')
    handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
    other = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
    await migrateToLatest(handle.db)
    await ensurePartitions(handle.db, 8)
  })
  afterAll(async () => {
    await other.close()
    await handle.close()
    await scratch.drop()
  })

  const epochs = async (): Promise<Record<number, { owner: string | null; epoch: number }>> => {
    const { rows } = await sql<{ partition: number; owner: string | null; epoch: number }>`
      select partition, owner, epoch from actor_partitions order by partition`.execute(handle.db)
    return Object.fromEntries(rows.map((r) => [r.partition, { owner: r.owner, epoch: Number(r.epoch) }]))
  }

  it('takes every free partition at once, bumping each epoch, and leaves those held by another node', async () => {
    await sql`update actor_partitions set owner = 'node-b', epoch = 3, expires_at = now() + interval '1 minute' where partition = 2`.execute(handle.db)
    const taken = await acquireLeases(handle.db, [0, 1, 2, 3], 'node-a', 10_000, 500)
    expect([...taken]).toEqual([
      [0, 1],
      [1, 1],
      [3, 1],
    ])
    const after = await epochs()
    expect(after[2]).toEqual({ owner: 'node-b', epoch: 3 })
    expect(after[0]).toEqual({ owner: 'node-a', epoch: 1 })
  })

  it('waits out a commit in flight only so long, then still takes the partitions it does not hold', async () => {
    // node-b's lease on 5 ran out, but a commit of node-b holds its fence (FOR SHARE) open.
    await sql`update actor_partitions set owner = 'node-b', epoch = 7, expires_at = now() - interval '1 second' where partition in (4, 5)`.execute(handle.db)
    const { promise: release, resolve: done } = Promise.withResolvers<void>()
    const { promise: locked, resolve: onLocked } = Promise.withResolvers<void>()
    const commit = other.db.transaction().execute(async (trx) => {
      await sql`select 1 from actor_partitions where partition = 5 for share`.execute(trx)
      onLocked()
      await release
    })
    await locked
    const taken = await acquireLeases(handle.db, [4, 5, 6], 'node-a', 10_000, 300)
    done()
    await commit
    expect([...taken]).toEqual([
      [4, 8],
      [6, 1],
    ])
    expect((await epochs())[5]).toEqual({ owner: 'node-b', epoch: 7 })
  })
})

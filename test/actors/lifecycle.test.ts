/** Spawning and stopping actors: supervisor links, stopped actors' mail, timers and jobs. */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'kysely'
import { listDeadLetters } from '../../src/actors/index.ts'
import { testServices } from '../support/services.ts'
import { Flaky, Later, Note, SpawnChild, StartJob } from './fixtures/behaviours.ts'
import { effects, openTestDatabase, randomKey, startTestNode, type TestDatabase, type TestNode, waitFor } from './support/harness.ts'

describe('actor lifecycle', () => {
  let database: TestDatabase
  let node: TestNode

  beforeAll(async () => {
    database = await openTestDatabase(testServices().postgresUrl ? 'postgres' : 'pglite')
    node = await startTestNode({ db: database.handle, nodeId: `life-${randomKey()}`, redisPrefix: null })
    await waitFor('partitions owned', () => node.node.owned().length === 8)
  }, 60_000)

  afterAll(async () => {
    await node?.stop()
    await database?.close()
  }, 30_000)

  it('records the spawning actor as the supervisor that hears of its child’s failures', async () => {
    const key = randomKey()
    const parent = `rec/${key}/parent`
    const child = `rec/${key}/child`
    await node.node.client.tell(parent, SpawnChild({ child }))
    await waitFor('registry row', async () => {
      const { rows } = await sql<{ supervisor: string }>`select supervisor from actor_registry where address = ${child}`.execute(database.handle.db)
      return rows[0]?.supervisor === parent
    })
    await node.node.client.tell(child, Flaky({ fail_times: 99 }))
    const told = await waitFor('parent told', async () => (await effects(database.handle, parent, 'child-failed'))[0])
    expect(told.sender).toBe(child)
  })

  it('dead-letters mail to a stopped actor and cancels its timers and jobs', async () => {
    const actor = `rec/${randomKey()}/doomed`
    await node.node.client.tell(actor, Later({ delay_ms: 60_000, tag: 'never' }))
    await node.node.client.tell(actor, StartJob({ kind: 'test.sleep', input: { ms: 60_000 }, deadline_ms: 120_000 }))
    await waitFor('timer and job recorded', async () => {
      const { rows } = await sql<{ t: number; j: number }>`select (select count(*) from actor_timers where actor = ${actor})::int as t,
        (select count(*) from actor_jobs where actor = ${actor})::int as j`.execute(database.handle.db)
      return rows[0]?.t === 1 && rows[0]?.j === 1
    })
    await node.node.client.stop(actor)
    await waitFor('stopped', async () => {
      const { rows } = await sql<{ status: string }>`select status from actor_registry where address = ${actor}`.execute(database.handle.db)
      return rows[0]?.status === 'stopped'
    })
    const { rows } = await sql<{ t: number; j: number }>`select (select count(*) from actor_timers where actor = ${actor})::int as t,
      (select count(*) from actor_jobs where actor = ${actor})::int as j`.execute(database.handle.db)
    expect(rows[0]).toEqual({ t: 0, j: 0 })
    await node.node.client.tell(actor, Note({ sender: 'late', seq: 1 }))
    const letter = await waitFor('dead letter', async () => (await listDeadLetters(database.handle.db)).find((l) => l.actor === actor))
    expect(letter.reason).toBe('actor stopped')
    expect(await effects(database.handle, actor, 'note')).toHaveLength(0)
    expect(await effects(database.handle, actor, 'job-completed')).toHaveLength(0)
  })

  it('brings a stopped actor back when it is spawned again', async () => {
    const key = randomKey()
    const actor = `rec/${key}/phoenix`
    await node.node.client.stop(actor)
    await waitFor('stopped', async () => {
      const { rows } = await sql<{ status: string }>`select status from actor_registry where address = ${actor}`.execute(database.handle.db)
      return rows[0]?.status === 'stopped'
    })
    const pending = await database.handle.db.transaction().execute((trx) => node.node.client.spawnIn(trx, actor, { init: Note({ sender: 'init', seq: 1 }) }))
    await pending?.publish()
    await waitFor('init handled', async () => (await effects(database.handle, actor, 'note')).length === 1)
  })
})

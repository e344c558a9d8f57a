/**
 * An actor without a supervisor (the top of a tree) is told of its own dead letters when its
 * behaviour accepts ActorFailed: a notice naming its own address, once per dead letter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { listDeadLetters } from '../../src/actors/index.ts'
import { Flaky, Note } from './fixtures/behaviours.ts'
import { effects, openTestDatabase, randomKey, runtimeFlavours, startTestNode, type TestDatabase, type TestNode, uniqueRedisPrefix, waitFor } from './support/harness.ts'

for (const flavour of runtimeFlavours()) {
  describe(`a dead letter for an actor without a supervisor (${flavour})`, () => {
    let database: TestDatabase
    let node: TestNode
    const redisPrefix = flavour.startsWith('redis') ? uniqueRedisPrefix('selfdl') : null

    beforeAll(async () => {
      database = await openTestDatabase(flavour.endsWith('pglite') ? 'pglite' : 'postgres')
      node = await startTestNode({ db: database.handle, nodeId: `selfdl-${randomKey()}`, redisPrefix })
      await waitFor('all partitions owned', () => node.node.owned().length === 8)
    }, 60_000)

    afterAll(async () => {
      await node?.stop()
      await database?.close()
    }, 30_000)

    it('tells the actor itself, once, naming the lost message and why', async () => {
      const top = `rec/${randomKey()}/top`
      await node.node.client.tell(top, Flaky({ fail_times: 99 }))
      await node.node.client.tell(top, Note({ sender: 'after-poison', seq: 1 }))
      const told = await waitFor('the actor told', async () => (await effects(database.handle, top, 'child-failed'))[0], 20_000)
      expect(told.sender).toBe(top)
      expect(JSON.parse(told.data as string)).toMatchObject({ address: top, reason: 'dead-lettered', message_type: 'test.flaky' })
      await waitFor('the note after the poison message', async () => (await effects(database.handle, top, 'note')).length === 1)
      await Bun.sleep(300)
      expect(await effects(database.handle, top, 'child-failed')).toHaveLength(1)
      expect((await listDeadLetters(database.handle.db)).filter((l) => l.actor === top).map((l) => l.messageType)).toEqual(['test.flaky'])
    }, 30_000)

    it('tells a supervised actor’s supervisor, not the actor', async () => {
      const key = randomKey()
      const supervisor = `rec/${key}/supervisor`
      const child = `rec/${key}/child`
      await database.handle.db.transaction().execute((trx) => node.node.client.spawnIn(trx, child, { supervisor }))
      await node.node.client.tell(child, Flaky({ fail_times: 99 }))
      await waitFor('supervisor told', async () => (await effects(database.handle, supervisor, 'child-failed'))[0], 20_000)
      await Bun.sleep(300)
      expect(await effects(database.handle, child, 'child-failed')).toHaveLength(0)
      expect(await effects(database.handle, supervisor, 'child-failed')).toHaveLength(1)
    }, 30_000)
  })
}

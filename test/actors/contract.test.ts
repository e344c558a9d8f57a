/**
 * The transport contract: the same behaviours, run by a node on each transport
 * (in-process on PGlite and on PostgreSQL, Redis Streams on PostgreSQL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'kysely'
import { AskTimeoutError, listDeadLetters, partitionOf } from '../../src/actors/index.ts'
import { deadLetterKey } from '../../src/actors/index.ts'
import { Appended, AskOther, Count, Emit, Flaky, Ignore, Later, Note, Ping, Slow } from './fixtures/behaviours.ts'
import {
  effects,
  openTestDatabase,
  randomKey,
  runtimeFlavours,
  startTestNode,
  type TestDatabase,
  type TestNode,
  uniqueRedisPrefix,
  waitFor,
} from './support/harness.ts'

for (const flavour of runtimeFlavours()) {
  describe(`actor runtime contract (${flavour})`, () => {
    let database: TestDatabase
    let node: TestNode
    const redisPrefix = flavour.startsWith('redis') ? uniqueRedisPrefix('contract') : null

    beforeAll(async () => {
      database = await openTestDatabase(flavour.endsWith('pglite') ? 'pglite' : 'postgres')
      node = await startTestNode({ db: database.handle, nodeId: `contract-${randomKey()}`, redisPrefix })
      await waitFor('all partitions owned', () => node.node.owned().length === 8)
    }, 60_000)

    afterAll(async () => {
      await node?.stop()
      await database?.close()
    }, 30_000)

    it('delivers each sender’s messages to an actor in the order sent', async () => {
      const key = randomKey()
      const target = `rec/${key}/target`
      // Senders on other partitions than the target, so messages cross partitions (and Redis).
      const senders = Array.from({ length: 3 }, (_, i) => `snd/${key}-${i}`)
      for (let round = 0; round < 4; round++) {
        for (const s of senders) await node.node.client.tell(s, Emit({ to: target, from: round * 25, count: 25 }))
      }
      for (let i = 0; i < 30; i++) await node.node.client.tell(target, Note({ sender: 'external', seq: i }), { durable: i % 2 === 0 })
      const rows = await waitFor('all notes', async () => {
        const r = await effects(database.handle, target, 'note')
        return r.length >= 330 ? r : null
      })
      expect(rows.length).toBe(330)
      const bySender = new Map<string, number[]>()
      for (const r of rows) bySender.set(r.sender as string, [...(bySender.get(r.sender as string) ?? []), r.seq as number])
      for (const s of senders) expect(bySender.get(s)).toEqual(Array.from({ length: 100 }, (_, i) => i))
      expect(bySender.get('external')).toEqual(Array.from({ length: 30 }, (_, i) => i))
    })

    it('keeps a sender’s order to actors of its own partition, past the in-transaction budget', async () => {
      const key = randomKey()
      // Same key, same partition: these messages are handled without a transport hop.
      const sender = `snd/${key}`
      const target = `rec/${key}/target`
      await node.node.client.tell(sender, Emit({ to: target, from: 0, count: 300 }))
      await node.node.client.tell(sender, Emit({ to: target, from: 300, count: 300 }))
      const rows = await waitFor('all notes', async () => {
        const r = await effects(database.handle, target, 'note')
        return r.length >= 600 ? r : null
      })
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i))
      await Bun.sleep(200)
      expect(await effects(database.handle, target, 'note')).toHaveLength(600)
    })

    it('runs one message at a time per actor', async () => {
      const key = randomKey()
      const actors = Array.from({ length: 4 }, (_, i) => `rec/${key}-${i}/slow`)
      await Promise.all(actors.flatMap((a) => Array.from({ length: 6 }, () => node.node.client.tell(a, Slow({ ms: 5 })))))
      for (const a of actors) {
        const spans = await waitFor('spans', async () => {
          const r = await effects(database.handle, a, 'span')
          return r.length >= 6 ? r : null
        })
        const sorted = spans.map((s) => [s.started as number, s.ended as number] as const).sort((x, y) => x[0] - y[0])
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]?.[0]).toBeGreaterThanOrEqual(sorted[i - 1]?.[1] as number)
      }
    })

    it('answers an ask with the handler’s reply', async () => {
      const reply = await node.node.client.ask(`rec/${randomKey()}/echo`, Ping({ n: 42 }), { timeoutMs: 5000 })
      expect(reply).toEqual({ type: 'test.pong', payload: { n: 42 } })
    })

    it('rejects an ask with AskTimeoutError when no reply comes in time', async () => {
      const started = Date.now()
      const outcome = node.node.client.ask(`rec/${randomKey()}/mute`, Ignore({}), { timeoutMs: 300 })
      await expect(outcome).rejects.toBeInstanceOf(AskTimeoutError)
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    })

    it('delivers an actor’s ask reply as a message, or its timeout message when none comes', async () => {
      const key = randomKey()
      const asker = `rec/${key}/asker`
      await node.node.client.tell(asker, AskOther({ to: `rec/${randomKey()}/echo`, n: 7, timeout_ms: 5000 }))
      await node.node.client.tell(asker, AskOther({ to: `snd/${randomKey()}`, n: 8, timeout_ms: 200 }))
      const pong = await waitFor('pong', async () => (await effects(database.handle, asker, 'pong'))[0])
      expect(pong.seq).toBe(7)
      const timedOut = await waitFor('ask timeout', async () => (await effects(database.handle, asker, 'ask-timeout'))[0])
      expect(timedOut.seq).toBe(8)
      // The answered ask's timeout timer was cancelled with the reply.
      await Bun.sleep(300)
      expect((await effects(database.handle, asker, 'ask-timeout')).map((r) => r.seq)).toEqual([8])
    })

    it('dead-letters invalid envelopes with the reason and keeps running', async () => {
      const key = randomKey()
      const target = `rec/${key}/target`
      const p = partitionOf(target, 8)
      await node.node.transport.append(p, [{ messageId: `bad-${key}`, body: 'this is not json' }])
      await node.node.transport.append(p, [
        { messageId: `bad2-${key}`, body: JSON.stringify({ v: 1, id: `bad2-${key}`, to: target, type: 'test.note', sent_at: 1 }) },
      ])
      await node.node.client.tell(target, { type: 'test.note', payload: { sender: 'x', seq: 'not a number' } })
      await node.node.client.tell(target, { type: 'test.unknown', payload: {} })
      await node.node.client.tell(target, Note({ sender: 'after', seq: 1 }))
      await waitFor('the valid note', async () => (await effects(database.handle, target, 'note')).length === 1)
      const letters = await waitFor('dead letters', async () => {
        const all = (await listDeadLetters(database.handle.db, { partition: p })).filter(
          (l) => l.actor === target || l.messageId?.endsWith(key),
        )
        return all.length >= 4 ? all : null
      })
      const reasons = letters.map((l) => l.reason).join('\n')
      expect(reasons).toContain('invalid envelope: not JSON')
      expect(reasons).toContain('invalid envelope: payload')
      expect(reasons).toContain('invalid payload for "test.note"')
      expect(reasons).toContain('message type "test.unknown" is not accepted by "rec"')
      if (node.redis && redisPrefix) {
        const stream = await node.redis.xRange(deadLetterKey(redisPrefix, p), '-', '+')
        expect((stream ?? []).some((e) => e.message.m === `bad-${key}` && e.message.reason === 'invalid envelope: not JSON')).toBe(true)
      }
    })

    it('redelivers a message after its handler throws, with effects committed once', async () => {
      const target = `rec/${randomKey()}/flaky`
      await node.node.client.tell(target, Flaky({ fail_times: 2 }))
      const rows = await waitFor('flaky success', async () => {
        const r = await effects(database.handle, target, 'flaky')
        return r.length > 0 ? r : null
      })
      await Bun.sleep(100)
      expect((await effects(database.handle, target, 'flaky')).map((r) => r.seq)).toEqual([3])
      expect(rows[0]?.seq).toBe(3)
    })

    it('dead-letters a message after 5 failed deliveries and tells the actor’s supervisor', async () => {
      const key = randomKey()
      const supervisor = `rec/${key}/supervisor`
      const child = `rec/${key}/child`
      const pending = await database.handle.db.transaction().execute((trx) => node.node.client.spawnIn(trx, child, { supervisor }))
      expect(pending).toBeNull()
      await node.node.client.tell(child, Flaky({ fail_times: 99 }))
      await node.node.client.tell(child, Note({ sender: 'after-poison', seq: 1 }))
      const failed = await waitFor('supervisor told', async () => (await effects(database.handle, supervisor, 'child-failed'))[0])
      expect(failed.sender).toBe(child)
      expect(JSON.parse(failed.data as string)).toMatchObject({ reason: 'dead-lettered', message_type: 'test.flaky' })
      const letters = (await listDeadLetters(database.handle.db)).filter((l) => l.actor === child)
      expect(letters).toHaveLength(1)
      expect(letters[0]?.attempts).toBe(5)
      expect(letters[0]?.reason).toContain('handler failed 5 times')
      // The actor's next message is handled normally.
      await waitFor('the note after the poison message', async () => (await effects(database.handle, child, 'note')).length === 1)
    })

    it('fires a durable timer scheduled by a handler', async () => {
      const target = `rec/${randomKey()}/timer`
      const before = Date.now()
      await node.node.client.tell(target, Later({ delay_ms: 150, tag: 'soon' }))
      const fired = await waitFor('timer fired', async () => (await effects(database.handle, target, 'fired'))[0])
      expect(JSON.parse(fired.data as string)).toEqual({ tag: 'soon' })
      expect(Date.now() - before).toBeGreaterThanOrEqual(150)
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from actor_timers where actor = ${target}`.execute(database.handle.db)
      expect(rows[0]?.n).toBe(0)
    })

    it('writes appended rows with the commit, in order, once', async () => {
      const target = `rec/${randomKey()}/appender`
      await Promise.all(Array.from({ length: 50 }, (_, seq) => node.node.client.tell(target, Appended({ seq }), { durable: false })))
      const rows = await waitFor('appended rows', async () => {
        const r = await effects(database.handle, target, 'appended')
        return r.length >= 50 ? r : null
      })
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    })

    it('keeps an actor’s in-memory state across messages', async () => {
      const target = `rec/${randomKey()}/counter`
      await node.node.client.tell(target, Ignore({}))
      await node.node.client.tell(target, Ignore({}))
      const reply = await node.node.client.ask(target, Count({}), { timeoutMs: 5000 })
      expect(reply.payload).toEqual({ n: 3 })
    })
  })
}

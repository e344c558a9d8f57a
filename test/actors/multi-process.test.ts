/**
 * Real node processes (test/actors/fixtures/node-main.ts) against the real Redis and a
 * private PostgreSQL database: (a) 3 nodes, 10,000 messages to 1,000 actors; (b) SIGKILL
 * a node mid-stream; (c) SIGSTOP a node past its lease; (d) a 4th node joins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'kysely'
import {
  type ActorClient,
  createActorClient,
  createRedisStreamsTransport,
  listLeases,
  type MailboxTransport,
} from '../../src/actors/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { testServices } from '../support/services.ts'
import { Note, Slow } from './fixtures/behaviours.ts'
import { effects, openTestDatabase, randomKey, type TestDatabase, uniqueRedisPrefix, waitFor } from './support/harness.ts'
import { type NodeProcess, spawnNode } from './support/processes.ts'

const services = testServices()
const P = 32
const LEASE = 2000

describe.skipIf(!services.redisUrl || !services.postgresUrl)('actor nodes as separate processes', () => {
  let database: TestDatabase
  let redis: Redis
  let transport: MailboxTransport
  let client: ActorClient
  const prefix = uniqueRedisPrefix('multi')
  const nodes: NodeProcess[] = []

  const env = (): Record<string, string> => ({
    DATABASE_URL: database.url as string,
    REDIS_URL: services.redisUrl as string,
    REDIS_PREFIX: prefix,
    SAGE_PARTITIONS: String(P),
    SAGE_LEASE_MS: String(LEASE),
    SAGE_WORKERS: '1',
    SHUTDOWN_TIMEOUT_MS: '10000',
  })
  const start = async (name: string): Promise<NodeProcess> => {
    const n = await spawnNode(name, env())
    nodes.push(n)
    return n
  }
  const ownership = async (): Promise<Map<string, number>> => {
    const m = new Map<string, number>()
    for (const l of await listLeases(database.handle.db, P)) if (!l.free && l.owner) m.set(l.owner, (m.get(l.owner) ?? 0) + 1)
    return m
  }
  const settled = async (names: string[]): Promise<boolean> => {
    const leases = await listLeases(database.handle.db, P)
    if (leases.some((l) => l.free || !names.includes(l.owner as string))) return false
    const o = await ownership()
    return names.every((n) => (o.get(n) ?? 0) >= Math.floor(P / names.length) && (o.get(n) ?? 0) <= Math.ceil(P / names.length))
  }
  /** Tells seq 0..perActor-1 to every actor, seq by seq, pipelined; optionally paced. */
  const send = async (actors: string[], perActor: number, pauseMs = 0): Promise<void> => {
    for (let seq = 0; seq < perActor; seq++) {
      await Promise.all(actors.map((a) => client.tell(a, Note({ sender: 'driver', seq }), { durable: false })))
      if (pauseMs > 0) await Bun.sleep(pauseMs)
    }
  }
  const expectExactlyOnceInOrder = async (keyPrefix: string, actors: string[], perActor: number): Promise<void> => {
    const rows = await waitFor(
      `${actors.length * perActor} notes`,
      async () => {
        const r = await effects(database.handle, keyPrefix, 'note')
        return r.length >= actors.length * perActor ? r : null
      },
      90_000,
    )
    await Bun.sleep(500)
    const final = await effects(database.handle, keyPrefix, 'note')
    expect(final.length).toBe(actors.length * perActor)
    const byActor = new Map<string, number[]>()
    for (const r of rows) byActor.set(r.actor, [...(byActor.get(r.actor) ?? []), r.seq as number])
    const expected = Array.from({ length: perActor }, (_, i) => i).join()
    const wrong = actors.filter((a) => (byActor.get(a) ?? []).join() !== expected)
    expect(wrong).toEqual([])
  }

  beforeAll(async () => {
    database = await openTestDatabase('postgres')
    redis = await connectRedis(services.redisUrl as string, silentLogger())
    transport = createRedisStreamsTransport({ redis, prefix, consumer: 'driver', log: silentLogger() })
    client = createActorClient({ db: database.handle.db, transport, partitions: P, clientId: `driver-${randomKey()}`, log: silentLogger() })
    await Promise.all(['node-1', 'node-2', 'node-3'].map((n) => start(n)))
    await waitFor('three nodes share the partitions', () => settled(['node-1', 'node-2', 'node-3']), 20_000)
  }, 60_000)

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()))
    await client?.close()
    await transport?.stop()
    if (redis) await closeRedis(redis)
    await database?.close()
  }, 60_000)

  it('(a) handles 10,000 messages to 1,000 actors on 3 nodes exactly once and in order per actor', async () => {
    const key = `a${randomKey()}`
    const actors = Array.from({ length: 1000 }, (_, i) => `rec/${key}-${i}/x`)
    await send(actors, 10)
    await expectExactlyOnceInOrder(`rec/${key}-`, actors, 10)
    const { rows } = await sql<{ n: number }>`select count(distinct node)::int as n from test_actor_effects where actor like ${`rec/${key}-%`}`.execute(
      database.handle.db,
    )
    expect(rows[0]?.n).toBe(3)
  }, 120_000)

  it('(b) re-owns a SIGKILLed node’s partitions within SAGE_LEASE_MS + 2 s and loses nothing', async () => {
    const key = `b${randomKey()}`
    const actors = Array.from({ length: 200 }, (_, i) => `rec/${key}-${i}/x`)
    const victim = nodes.find((n) => n.nodeId === 'node-3') as NodeProcess
    const theirs = (await listLeases(database.handle.db, P)).filter((l) => l.owner === victim.nodeId).map((l) => l.partition)
    expect(theirs.length).toBeGreaterThan(0)
    const sending = send(actors, 20, 50)
    await Bun.sleep(400)
    victim.kill('SIGKILL')
    const killedAt = Date.now()
    await victim.exited
    nodes.splice(nodes.indexOf(victim), 1)
    await waitFor(
      'the victim’s partitions owned again',
      async () => {
        const leases = await listLeases(database.handle.db, P)
        return theirs.every((p) => {
          const l = leases[p]
          return l && !l.free && l.owner !== victim.nodeId
        })
      },
      LEASE + 5000,
    )
    const elapsed = Date.now() - killedAt
    expect(elapsed).toBeLessThanOrEqual(LEASE + 2000)
    await sending
    await expectExactlyOnceInOrder(`rec/${key}-`, actors, 20)
    // A replacement keeps three nodes for the next tests.
    await start('node-3b')
    await waitFor('three nodes again', () => settled(['node-1', 'node-2', 'node-3b']), 20_000)
  }, 120_000)

  it('(c) a SIGSTOPped node stops on its stale epoch after SIGCONT, and no actor runs on two nodes at once', async () => {
    const key = `c${randomKey()}`
    const actors = Array.from({ length: 40 }, (_, i) => `rec/${key}-${i}/x`)
    const sleeper = nodes.find((n) => n.nodeId === 'node-2') as NodeProcess
    let sending = true
    const sender = (async () => {
      while (sending) {
        await Promise.all(actors.map((a) => client.tell(a, Slow({ ms: 10 }))))
        await Bun.sleep(100)
      }
    })()
    await Bun.sleep(500)
    sleeper.kill('SIGSTOP')
    // Past its lease: the others take its partitions over.
    await waitFor('the others own everything', async () => !(await ownership()).has(sleeper.nodeId), LEASE + 5000)
    await Bun.sleep(500)
    sleeper.kill('SIGCONT')
    await waitFor('the resumed node notices its stale epoch', () => /lease taken by another node|lease lost/.test(sleeper.output()), 10_000)
    await Bun.sleep(1000)
    sending = false
    await sender
    await waitFor('every slow message handled', async () => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from actor_outbox`.execute(database.handle.db)
      return rows[0]?.n === 0
    }, 60_000)
    const spans = await effects(database.handle, `rec/${key}-`, 'span')
    expect(spans.length).toBeGreaterThan(actors.length)
    const overlaps: string[] = []
    for (const a of actors) {
      const mine = spans.filter((s) => s.actor === a).sort((x, y) => (x.started as number) - (y.started as number))
      for (let i = 1; i < mine.length; i++) {
        const prev = mine[i - 1] as (typeof mine)[number]
        const cur = mine[i] as (typeof mine)[number]
        if ((cur.started as number) < (prev.ended as number)) overlaps.push(`${a}: ${prev.node} until ${prev.ended}, ${cur.node} from ${cur.started}`)
      }
    }
    expect(overlaps).toEqual([])
    // Each message was handled once in effect: spans equal the messages the outbox delivered.
    const ids = new Set(spans.map((s) => s.message_id))
    expect(ids.size).toBe(spans.length)
  }, 120_000)

  it('(d) gives a 4th node its fair share within 2 lease periods', async () => {
    const names = nodes.map((n) => n.nodeId)
    await waitFor('settled before the join', () => settled(names), 20_000)
    const fourth = await start('node-4')
    const joinedAt = Date.now()
    await waitFor('fair share for four', () => settled([...names, fourth.nodeId]), 2 * LEASE + 3000)
    expect(Date.now() - joinedAt).toBeLessThanOrEqual(2 * LEASE)
    const o = await ownership()
    expect(o.get('node-4')).toBeGreaterThanOrEqual(Math.floor(P / 4))
  }, 60_000)
})

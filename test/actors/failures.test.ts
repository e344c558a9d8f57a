/**
 * Infrastructure failures with real node processes: (e) `kill -9` of Redis (AOF
 * everysec) mid-run; (f) PostgreSQL stopped for 5 s mid-run. Both run on private
 * servers started here, never on the machine's shared ones.
 */
import { afterAll, describe, expect, it } from 'bun:test'
import { sql } from 'kysely'
import { type ActorClient, createActorClient, createRedisStreamsTransport, type MailboxTransport } from '../../src/actors/index.ts'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { testServices } from '../support/services.ts'
import { createEffectsTable, Note } from './fixtures/behaviours.ts'
import { effects, openTestDatabase, randomKey, type TestDatabase, uniqueRedisPrefix, waitFor } from './support/harness.ts'
import {
  type PrivatePostgres,
  type PrivateRedis,
  privatePostgresAvailable,
  redisServerAvailable,
  startPrivatePostgres,
  startPrivateRedis,
} from './support/private-services.ts'
import { type NodeProcess, spawnNode } from './support/processes.ts'

const services = testServices()
const P = 16
const LEASE = 2000

interface Cluster {
  nodes: NodeProcess[]
  redis: Redis
  transport: MailboxTransport
  client: ActorClient
  close(): Promise<void>
}

async function startCluster(o: { databaseUrl: string; db: DatabaseHandle; redisUrl: string; prefix: string; names: string[] }): Promise<Cluster> {
  const env = {
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl,
    REDIS_PREFIX: o.prefix,
    SAGE_PARTITIONS: String(P),
    SAGE_LEASE_MS: String(LEASE),
    SAGE_WORKERS: '1',
    SHUTDOWN_TIMEOUT_MS: '10000',
  }
  const nodes = await Promise.all(o.names.map((n) => spawnNode(n, env)))
  const redis = await connectRedis(o.redisUrl, silentLogger())
  const transport = createRedisStreamsTransport({ redis, prefix: o.prefix, consumer: 'driver', log: silentLogger() })
  const client = createActorClient({ db: o.db.db, transport, partitions: P, clientId: `driver-${randomKey()}`, log: silentLogger() })
  return {
    nodes,
    redis,
    transport,
    client,
    async close() {
      await Promise.all(nodes.map((n) => n.stop()))
      await client.close()
      await transport.stop()
      await closeRedis(redis)
    },
  }
}

async function allOwned(db: DatabaseHandle): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from actor_partitions where owner is not null and expires_at > now()`.execute(db.db)
  return rows[0]?.n === P
}

/** Every (actor, seq) handled exactly once. */
async function expectExactlyOnce(db: DatabaseHandle, keyPrefix: string, actors: string[], perActor: number, timeoutMs: number): Promise<void> {
  await waitFor(
    `${actors.length * perActor} notes`,
    async () => (await effects(db, keyPrefix, 'note')).length >= actors.length * perActor,
    timeoutMs,
  )
  await Bun.sleep(1000)
  const rows = await effects(db, keyPrefix, 'note')
  const seen = new Map<string, number>()
  for (const r of rows) seen.set(`${r.actor}#${r.seq}`, (seen.get(`${r.actor}#${r.seq}`) ?? 0) + 1)
  const wrong: string[] = []
  for (const a of actors) for (let s = 0; s < perActor; s++) if (seen.get(`${a}#${s}`) !== 1) wrong.push(`${a}#${s}: ${seen.get(`${a}#${s}`) ?? 0}`)
  expect(wrong).toEqual([])
  expect(rows.length).toBe(actors.length * perActor)
}

describe.skipIf(!services.postgresUrl || !redisServerAvailable())('(e) Redis killed with kill -9 mid-run (AOF everysec)', () => {
  let redisServer: PrivateRedis | null = null
  let database: TestDatabase | null = null
  let cluster: Cluster | null = null

  afterAll(async () => {
    await cluster?.close()
    await redisServer?.stop()
    await database?.close()
  }, 60_000)

  it('reconnects, re-publishes what Redis lost, and handles every message exactly once', async () => {
    redisServer = await startPrivateRedis()
    database = await openTestDatabase('postgres')
    cluster = await startCluster({
      databaseUrl: database.url as string,
      db: database.handle,
      redisUrl: redisServer.url,
      prefix: 'sage-e:',
      names: ['e-node-1', 'e-node-2'],
    })
    await waitFor('partitions owned', () => allOwned((database as TestDatabase).handle), 15_000)
    const key = `e${randomKey()}`
    const actors = Array.from({ length: 100 }, (_, i) => `rec/${key}-${i}/x`)
    const c = cluster
    let failedSends = 0
    const sending = (async () => {
      for (let seq = 0; seq < 30; seq++) {
        const results = await Promise.allSettled(actors.map((a) => c.client.tell(a, Note({ sender: 'driver', seq }))))
        // A tell committed to the outbox whose append failed is the reconciler's to publish.
        failedSends += results.filter((r) => r.status === 'rejected').length
        await Bun.sleep(40)
      }
    })()
    await Bun.sleep(700)
    await redisServer.crash()
    await Bun.sleep(1000)
    await redisServer.restart()
    await sending
    await expectExactlyOnce(database.handle, `rec/${key}-`, actors, 30, 60_000)
    void failedSends
    for (const n of cluster.nodes) expect(n.proc.exitCode).toBeNull()
  }, 120_000)
})

describe.skipIf(!services.redisUrl || !privatePostgresAvailable())('(f) PostgreSQL stopped for 5 s mid-run', () => {
  let pg: PrivatePostgres | null = null
  let db: DatabaseHandle | null = null
  let cluster: Cluster | null = null

  afterAll(async () => {
    await cluster?.close()
    await db?.close()
    await pg?.stop()
  }, 60_000)

  it('acknowledges no entry without its commit; nodes fence themselves and resume when it is back', async () => {
    pg = await startPrivatePostgres()
    const url = await pg.createDatabase('sage_f')
    db = await connectDatabase({ databaseUrl: url, log: silentLogger(), poolSize: 4 })
    await migrateToLatest(db.db)
    await createEffectsTable(db.db)
    cluster = await startCluster({
      databaseUrl: url,
      db,
      redisUrl: services.redisUrl as string,
      prefix: uniqueRedisPrefix('pgdown'),
      names: ['f-node-1', 'f-node-2'],
    })
    await waitFor('partitions owned', () => allOwned(db as DatabaseHandle), 15_000)
    const key = `f${randomKey()}`
    const actors = Array.from({ length: 100 }, (_, i) => `rec/${key}-${i}/x`)
    const c = cluster
    // Straight to the mailbox (PostgreSQL is what goes away): an entry acknowledged without its commit would be lost.
    const sending = (async () => {
      for (let seq = 0; seq < 40; seq++) {
        await Promise.all(actors.map((a) => c.client.tell(a, Note({ sender: 'driver', seq }), { durable: false })))
        await Bun.sleep(100)
      }
    })()
    await Bun.sleep(1000)
    await pg.pause()
    await Bun.sleep(5000)
    await pg.resume()
    await sending
    try {
      await waitFor('partitions owned again', () => allOwned(db as DatabaseHandle), 20_000)
    } catch (error) {
      for (const n of cluster.nodes) console.log(n.nodeId, n.proc.exitCode, n.output().split('\n').filter((l) => !l.includes('"level":"warn"') || l.includes('error')).slice(-30).join('\n'))
      throw error
    }
    await expectExactlyOnce(db, `rec/${key}-`, actors, 40, 60_000)
    const rows = await effects(db, `rec/${key}-`, 'note')
    for (const a of actors) {
      expect(rows.filter((r) => r.actor === a).map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i))
    }
    // They noticed: commits and lease renewals failed while it was down.
    for (const n of cluster.nodes) expect(n.output()).toMatch(/partition commit failed|coordination round failed/)
    for (const n of cluster.nodes) {
      if (n.proc.exitCode !== null) console.log(n.output().slice(-4000))
      expect(n.proc.exitCode).toBeNull()
    }
  }, 120_000)
})

import { sql } from 'kysely'
import { type ActorNode, type JobProgress, type PeriodicSchedule, type RuntimeTuning, startActorNode } from '../../../src/actors/index.ts'
import { actorNodeOptions } from '../../../src/boot/index.ts'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../../src/db/index.ts'
import { silentLogger } from '../../../src/log/index.ts'
import { closeRedis, connectRedis, type Redis } from '../../../src/redis/index.ts'
import { testConfig } from '../../support/engines.ts'
import { createScratchDatabase, testServices } from '../../support/services.ts'
import { createEffectsTable, recorderBehaviour, senderBehaviour } from '../fixtures/behaviours.ts'

/** Which transport (and database engine) a test runs the runtime on. */
export type RuntimeFlavour = 'in-process+pglite' | 'in-process+postgres' | 'redis+postgres'

/** The flavours this machine can run: Redis and PostgreSQL ones only when the services are up. */
export function runtimeFlavours(): RuntimeFlavour[] {
  const s = testServices()
  const out: RuntimeFlavour[] = ['in-process+pglite']
  if (s.postgresUrl) out.push('in-process+postgres')
  if (s.postgresUrl && s.redisUrl) out.push('redis+postgres')
  return out
}

/** A private database for one test file: a scratch PostgreSQL database or an in-memory PGlite, migrated, with the effects table. */
export interface TestDatabase {
  handle: DatabaseHandle
  url: string | null
  close(): Promise<void>
}

/** Opens a private, migrated database (PostgreSQL scratch database or in-memory PGlite). */
export async function openTestDatabase(engine: 'postgres' | 'pglite'): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const handle = await connectDatabase({ log: silentLogger() })
    await migrateToLatest(handle.db)
    await createEffectsTable(handle.db)
    return { handle, url: null, close: () => handle.close() }
  }
  const scratch = await createScratchDatabase('actors')
  const handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger(), poolSize: 10 })
  await migrateToLatest(handle.db)
  await createEffectsTable(handle.db)
  return {
    handle,
    url: scratch.url,
    async close() {
      await handle.close()
      await scratch.drop()
    },
  }
}

/** A unique Redis key prefix under the run's prefix. */
export function uniqueRedisPrefix(label: string): string {
  return `${testServices().redisPrefix}${label}-${Math.random().toString(36).slice(2, 8)}:`
}

/** Options of {@link startTestNode}. */
export interface TestNodeOptions {
  db: DatabaseHandle
  nodeId: string
  /** Null: in-process transport. */
  redisPrefix: string | null
  partitions?: number
  leaseMs?: number
  workers?: number
  tuning?: Partial<RuntimeTuning>
  workerEntry?: URL
  onJobProgress?: (progress: JobProgress) => void
  schedules?: PeriodicSchedule[]
}

/** A node running the fixture behaviours, with its own Redis connection. */
export interface TestNode {
  node: ActorNode
  redis: Redis | null
  stop(): Promise<void>
  abandon(): Promise<void>
}

/** Starts a node with the fixture behaviours. */
export async function startTestNode(o: TestNodeOptions): Promise<TestNode> {
  const s = testServices()
  const config = testConfig({
    NODE_ID: o.nodeId,
    SAGE_PARTITIONS: String(o.partitions ?? 8),
    SAGE_LEASE_MS: String(o.leaseMs ?? 3000),
    SAGE_WORKERS: String(o.workers ?? 1),
    REDIS_PREFIX: o.redisPrefix ?? 'unused:',
    SHUTDOWN_TIMEOUT_MS: '5000',
  })
  const redis = o.redisPrefix !== null && s.redisUrl ? await connectRedis(s.redisUrl, silentLogger()) : null
  const node = await startActorNode({
    options: actorNodeOptions(config),
    db: o.db.db,
    redis,
    log: silentLogger(),
    behaviours: [recorderBehaviour(o.nodeId), senderBehaviour],
    workerEntry: o.workerEntry ?? new URL('../fixtures/test-jobs.worker.ts', import.meta.url),
    tuning: { reconcileEveryMs: 500, reconcileAfterMs: 1000, retryBaseMs: 10, ...o.tuning },
    ...(o.onJobProgress ? { onJobProgress: o.onJobProgress } : {}),
    ...(o.schedules ? { schedules: o.schedules } : {}),
  })
  const close = async (how: 'stop' | 'abandon'): Promise<void> => {
    await (how === 'stop' ? node.stop() : node.abandon())
    if (redis) await closeRedis(redis)
  }
  return { node, redis, stop: () => close('stop'), abandon: () => close('abandon') }
}

/** Polls `check` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await check()
      if (v) return v
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await Bun.sleep(20)
  }
}

/** One row of the effects table. */
export interface EffectRow {
  actor: string
  kind: string
  sender: string | null
  seq: number | null
  started: number | null
  ended: number | null
  data: string | null
  node: string | null
  message_id: string | null
}

/** Effects rows, optionally for actors whose address starts with `prefix`, in insertion order. */
export async function effects(db: DatabaseHandle, prefix = '', kind?: string): Promise<EffectRow[]> {
  const { rows } = await sql<EffectRow>`select actor, kind, sender, seq, started, ended, data, node, message_id from test_actor_effects
    where actor like ${`${prefix}%`} and (${kind ?? null}::text is null or kind = ${kind ?? null}) order by id`.execute(db.db)
  return rows
}

/** A short random key for actor addresses. */
export function randomKey(): string {
  return Math.random().toString(36).slice(2, 10)
}

import { type ActorClient, type ActorNode, createActorClient, createRedisStreamsTransport, startActorNode } from '../actors/index.ts'
import { startModelLimitsHost } from '../agents/index.ts'
import { createAuthBackends, deleteExpiredAuthRows } from '../auth/index.ts'
import type { Config } from '../config/index.ts'
import { connectDatabase, type DatabaseHandle, migrateToLatest, type PgliteStarting } from '../db/index.ts'
import { createApp, createOpsApp, registerAppGauges } from '../http/index.ts'
import { createMetricsRegistry } from '../metrics/index.ts'
import type { Logger } from '../log/index.ts'
import { createEventFeed, createInProcessEventBus, createRedisEventBus, type EventBus } from '../events/index.ts'
import {
  AGENT_WORKER_ENTRY,
  agentWorkerEnv,
  createActorSessionControl,
  createSessionBehaviours,
  sessionSchedules,
} from '../orchestration/index.ts'
import { closeRedis, connectRedis, type Redis } from '../redis/index.ts'
import { actorNodeOptions } from './actor-node-options.ts'
import { type StartupTrace, startupTrace } from './startup-trace.ts'
import { logWhileWaiting, waitFor } from './wait-for.ts'

/** A running Sage Mode process: its HTTP server (if any) and actor node (if any). */
export interface Service {
  /** The port HTTP listens on. */
  readonly port: number
  readonly database: DatabaseHandle
  readonly redis: Redis | null
  /**
   * Graceful stop: stops accepting connections, lets in-flight requests finish
   * (forcing them after `SHUTDOWN_TIMEOUT_MS`), stops the actor node, then closes
   * Redis and the database, in reverse order of start. Idempotent.
   */
  stop(): Promise<void>
}

/** Options of `startService`. */
export interface StartOptions {
  /** Aborts start-up, including a wait for PostgreSQL or Redis. */
  signal?: AbortSignal
  /** Where the start-up's step durations go (a debug log line); main.ts starts it before its imports' work. */
  trace?: StartupTrace
  /** The embedded database's open, already under way (main.ts starts it before loading the app). */
  pgliteStarting?: PgliteStarting
}

/**
 * Opens the database (migrating it), Redis when configured, and starts the roles `SAGE_ROLE`
 * asks for. While PostgreSQL or Redis is unreachable it waits, retrying with backoff and
 * logging what it waits for, until `options.signal` aborts.
 */
export async function startService(config: Config, log: Logger, options: StartOptions = {}): Promise<Service> {
  const signal = options.signal ?? new AbortController().signal
  const trace = options.trace ?? startupTrace()
  const shutdown = new AbortController()
  const cleanups: Array<{ name: string; run: () => Promise<unknown> }> = []
  const runCleanups = async (): Promise<void> => {
    for (const { name, run } of cleanups.reverse()) {
      try {
        await run()
      } catch (error) {
        log.warn(`stopping ${name} failed`, { error })
      }
    }
    cleanups.length = 0
  }

  try {
    const database = await connectDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.SAGE_DATA_DIR,
      poolSize: config.DATABASE_POOL_SIZE,
      pgliteStarting: options.pgliteStarting,
      log,
    })
    cleanups.push({ name: 'database', run: () => database.close() })
    trace.step('database_open')
    const { applied } = await waitFor(() => migrateToLatest(database.db), { what: 'PostgreSQL', log, signal })
    trace.step('migrations')
    log.info('database ready', { engine: database.engine, migrations_applied: applied })

    let redis: Redis | null = null
    if (config.REDIS_URL) {
      const client = await logWhileWaiting(connectRedis(config.REDIS_URL, log), { what: 'Redis', log, signal })
      redis = client
      cleanups.push({ name: 'redis', run: () => closeRedis(client) })
    }

    const bus: EventBus = redis ? await createRedisEventBus(redis, config.REDIS_PREFIX, log) : createInProcessEventBus()
    cleanups.push({ name: 'event bus', run: () => bus.close() })
    const feed = createEventFeed({ db: database.db, bus, log })
    cleanups.push({ name: 'event feed', run: () => feed.close() })
    trace.step('redis_and_bus')

    let node: ActorNode | null = null
    let client: ActorClient
    if (config.SAGE_ROLE !== 'web') {
      const actorsLog = log.child({ component: 'actors' })
      // MODEL_CONCURRENCY and provider back-offs hold for the node: its Workers share this memory.
      const modelLimits = startModelLimitsHost()
      cleanups.push({ name: 'model limits', run: async () => modelLimits.stop() })
      node = await startActorNode({
        options: actorNodeOptions(config),
        db: database.db,
        redis,
        log: actorsLog,
        behaviours: createSessionBehaviours({ config, bus, log: actorsLog }),
        workerEntry: AGENT_WORKER_ENTRY,
        workerEnv: agentWorkerEnv(config, modelLimits.channel),
        schedules: [
          ...sessionSchedules(config),
          {
            // The database auth backends keep expired rows until swept (Redis expires its own keys).
            name: 'auth.expired-rows',
            everyMs: 10 * 60_000,
            run: async ({ db, log: scheduleLog }) => {
              const swept = await deleteExpiredAuthRows(db)
              if (swept.sessions + swept.rateLimits > 0) scheduleLog.info('swept expired auth rows', { ...swept })
            },
          },
        ],
      })
      const started = node
      cleanups.push({ name: 'actor node', run: () => started.stop() })
      client = node.client
    } else {
      // A web process without a node reaches the actors through Redis (config requires it for this role).
      const transport = createRedisStreamsTransport({ redis: redis as Redis, prefix: config.REDIS_PREFIX, consumer: config.NODE_ID, log })
      const webClient = createActorClient({ db: database.db, transport, partitions: config.SAGE_PARTITIONS, clientId: config.NODE_ID, log })
      cleanups.push({ name: 'actor client', run: () => webClient.close().then(() => transport.stop()) })
      client = webClient
    }
    trace.step('actors')

    const { sessions, rateLimiter } = createAuthBackends({
      db: database.db,
      redis,
      redisPrefix: config.REDIS_PREFIX,
      sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    })
    const sessionControl = createActorSessionControl({ db: database.db, client, bus })
    const metrics = node?.metrics ?? createMetricsRegistry()
    registerAppGauges(metrics, database.db)
    const deps = {
      config,
      db: database.db,
      redis,
      log,
      shutdown: shutdown.signal,
      sessions,
      rateLimiter,
      sessionControl,
      feed,
      metrics,
    }
    const app = config.SAGE_ROLE === 'node' ? createOpsApp(deps) : createApp(deps)
    trace.step('http_app')
    app.listen({ port: config.PORT, hostname: config.HOST })
    trace.step('http_listen')
    const port = app.server?.port ?? config.PORT
    cleanups.push({
      name: 'http',
      run: async () => {
        shutdown.abort()
        const graceful = app.stop().then(() => 'graceful' as const)
        const deadline = Bun.sleep(config.SHUTDOWN_TIMEOUT_MS).then(() => 'forced' as const)
        if ((await Promise.race([graceful, deadline])) === 'forced') {
          log.warn('in-flight requests did not finish in time; closing them', { timeout_ms: config.SHUTDOWN_TIMEOUT_MS })
          await app.stop(true)
        }
      },
    })
    trace.done(log)
    log.info('sage mode started', { role: config.SAGE_ROLE, port, node_id: config.NODE_ID, engine: database.engine, redis: redis ? 'up' : 'embedded' })

    let stopping: Promise<void> | null = null
    return {
      port,
      database,
      redis,
      stop() {
        stopping ??= runCleanups().then(() => log.info('sage mode stopped'))
        return stopping
      },
    }
  } catch (error) {
    await runCleanups()
    throw error
  }
}

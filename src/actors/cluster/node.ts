import type { Kysely } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { createMetricsRegistry, type MetricsRegistry } from '../../metrics/index.ts'
import type { Redis } from '../../redis/index.ts'
import { createAckBatch, createCommitSlots, createRuntimeCounters, defaultTuning, type RuntimeEnv, type RuntimeTuning } from '../partition/index.ts'
import type { Behaviour } from '../model/index.ts'
import { type ActorClient, createActorClient } from './client.ts'
import { Coordinator, type OwnedPartition } from './coordinator.ts'
import { createInProcessTransport, createRedisStreamsTransport, type MailboxTransport } from '../transport/index.ts'
import { listLeases, readJobInput } from '../storage/index.ts'
import { maintenanceSchedules } from './maintenance.ts'
import { type PeriodicSchedule, type PeriodicScheduler, startPeriodicScheduler } from './periodic-scheduler.ts'
import { createWorkerPool, type JobProgress, type WorkerPool } from '../workers/index.ts'

/** The runtime's own settings (built from the app's configuration in src/boot/, or by hand in tests and the bench). */
export interface ActorNodeOptions {
  /** This node's name in the cluster (leases, logs, `/health`). */
  nodeId: string
  /** Mailbox partitions of the cluster (every node the same). */
  partitions: number
  /** Partition lease duration. */
  leaseMs: number
  /** Bun Workers in the node's pool. */
  workers: number
  /** Partition batches committed at once. */
  commitConcurrency: number
  /** Prefix of the Redis keys the transport writes. */
  redisPrefix: string
  /** How long a graceful stop waits for in-flight messages. */
  shutdownTimeoutMs: number
}

/** What an actor node needs from the process that hosts it. */
export interface ActorNodeDeps {
  options: ActorNodeOptions
  db: Kysely<Database>
  /** Null on the embedded default: the in-process mailbox is used. */
  redis: Redis | null
  log: Logger
  /** The behaviours this node runs, by address kind. Every node of a cluster registers the same ones. */
  behaviours?: Behaviour[]
  /** A transport to share with other components of this process; by default one is made from `redis`. */
  transport?: MailboxTransport
  /** The Worker-pool entry (a `*.worker.ts` calling `serveJobs`); defaults to one with no job kinds. */
  workerEntry?: URL | string
  /** The Workers' environment (default: the process's); how a node hands settings to its job code. */
  workerEnv?: Record<string, string>
  /** Cluster-wide periodic tasks (run once per period across all nodes), besides the runtime's maintenance. */
  schedules?: PeriodicSchedule[]
  metrics?: MetricsRegistry
  tuning?: Partial<RuntimeTuning>
  /** Ephemeral job progress (e.g. to publish live events). */
  onJobProgress?: (progress: JobProgress) => void
}

/** A running actor node: owns a share of the mailbox partitions and a Worker pool. */
export interface ActorNode {
  readonly nodeId: string
  /** Sends messages to actors (tell, ask, tellIn, spawnIn, stop) through this node's local routing. */
  readonly client: ActorClient
  readonly metrics: MetricsRegistry
  readonly transport: MailboxTransport
  /** Partitions this node runs now. */
  owned(): OwnedPartition[]
  /** Runs a coordination round now instead of waiting for the next tick. */
  rebalance(): Promise<void>
  /** Drains in-flight messages, releases its partitions and stops its Workers. Idempotent. */
  stop(): Promise<void>
  /** Stops without draining or releasing (the leases expire): simulates a crash in tests. */
  abandon(): Promise<void>
}

/**
 * Starts this process's actor node: picks the transport (Redis Streams when `redis`
 * is given, in-process otherwise), starts the Worker pool, joins the cluster (heartbeat,
 * leases, rebalancing) and the periodic scheduler.
 * @example
 * const node = await startActorNode({ options: actorNodeOptions(config), db, redis, log, behaviours: [Counter] })
 * await node.client.tell('counter/7', Increment({ by: 1 }))
 * await node.stop()
 */
export async function startActorNode(deps: ActorNodeDeps): Promise<ActorNode> {
  const { options, db, log } = deps
  const nodeId = options.nodeId
  const ownTransport = !deps.transport
  const transport =
    deps.transport ??
    (deps.redis
      ? createRedisStreamsTransport({ redis: deps.redis, prefix: options.redisPrefix, consumer: nodeId, log })
      : createInProcessTransport())
  const metrics = deps.metrics ?? createMetricsRegistry()
  const tuning: RuntimeTuning = { ...defaultTuning(options.leaseMs), commitConcurrency: options.commitConcurrency, ...deps.tuning }
  const behaviours = new Map<string, Behaviour>()
  for (const b of deps.behaviours ?? []) {
    if (behaviours.has(b.kind)) throw new Error(`Two behaviours for kind "${b.kind}"`)
    behaviours.set(b.kind, b)
  }

  const pool: WorkerPool = createWorkerPool({
    size: options.workers,
    entry: deps.workerEntry ?? new URL('../workers/default-jobs.worker.ts', import.meta.url),
    ...(deps.workerEnv ? { env: deps.workerEnv } : {}),
    log,
    // A job that shared a lost Worker runs again from its recorded input (the pool keeps none in memory).
    reloadInput: (jobId) => readJobInput(db, jobId),
    // Progress goes to the job's actor (when its behaviour takes it) and to the node's hook.
    onProgress: (progress) => {
      coordinator?.jobProgress(progress)
      deps.onJobProgress?.(progress)
    },
  })
  let coordinator: Coordinator | null = null
  let lateClient: ActorClient | null = null
  let scheduler: PeriodicScheduler | null = null
  const steps = { partitions_ms: 0, pool_ms: 0, scheduler_ms: 0 }
  let mark = performance.now()
  const step = (name: keyof typeof steps): void => {
    const now = performance.now()
    steps[name] = Math.round(now - mark)
    mark = now
  }
  // The Workers load their modules while the node takes its partitions (a job adopted meanwhile
  // waits in its Worker's message queue, as one re-run on a replaced Worker does).
  const poolReady = pool.ready()
  poolReady.catch(() => undefined)
  try {
    const acks = createAckBatch(transport, log)
    const env: RuntimeEnv = {
      db,
      nodeId,
      partitions: options.partitions,
      leaseMs: options.leaseMs,
      behaviours,
      transport,
      log,
      counters: createRuntimeCounters(metrics),
      tuning,
      commitSlots: createCommitSlots(tuning.commitConcurrency),
      acks,
      jobs: pool,
      route: (messages) => (coordinator as Coordinator).route(messages),
    }
    coordinator = new Coordinator(env, { pid: process.pid, transport: transport.name, workers: options.workers })
    transport.start(coordinator)
    await coordinator.start()
    step('partitions_ms')
    await poolReady
    step('pool_ms')
    scheduler = await startPeriodicScheduler({
      db,
      log,
      nodeId,
      // The client is made once the node runs: a run that tells before then fails and runs again next period.
      tell: async (to, message) => {
        if (!lateClient) throw new Error('the actor node is not started yet')
        await lateClient.tell(to, message)
      },
      schedules: [...maintenanceSchedules(transport, options.partitions), ...(deps.schedules ?? [])],
    })
    step('scheduler_ms')
  } catch (error) {
    await scheduler?.stop()
    await coordinator?.abandon()
    await pool.stop()
    if (ownTransport) await transport.stop()
    throw error
  }
  const coord = coordinator
  const sched = scheduler
  const client = createActorClient({
    db,
    transport,
    partitions: options.partitions,
    clientId: nodeId,
    log,
    route: (messages) => coord.route(messages),
  })
  lateClient = client
  registerGauges(metrics, { db, coord, pool, transport, partitions: options.partitions, nodeId })
  log.info('actor node started', { node_id: nodeId, transport: transport.name, partitions_owned: coord.owned().length, ...steps })

  let stopping: Promise<void> | null = null
  const shutdown = async (graceful: boolean): Promise<void> => {
    await sched.stop()
    if (graceful) await coord.stop(options.shutdownTimeoutMs)
    else await coord.abandon()
    await client.close()
    await pool.stop()
    if (ownTransport) await transport.stop()
    log.info('actor node stopped', { node_id: nodeId, graceful })
  }
  return {
    nodeId,
    client,
    metrics,
    transport,
    owned: () => coord.owned(),
    rebalance: () => coord.tickNow(),
    stop() {
      stopping ??= shutdown(true)
      return stopping
    },
    abandon() {
      stopping ??= shutdown(false)
      return stopping
    },
  }
}

function registerGauges(
  metrics: MetricsRegistry,
  s: { db: Kysely<Database>; coord: Coordinator; pool: WorkerPool; transport: MailboxTransport; partitions: number; nodeId: string },
): void {
  metrics.gauge('sage_partition_owner', 'Owner of each partition lease (1 per partition, labelled with its owner)', async () =>
    (await listLeases(s.db, s.partitions)).map((l) => ({
      labels: { partition: l.partition, owner: l.free ? '' : (l.owner ?? ''), epoch: l.epoch },
      value: 1,
    })),
  )
  const perPartition = async (pick: 'unread' | 'pending'): Promise<Array<{ labels: { partition: number }; value: number }>> =>
    Promise.all(
      s.coord.owned().map(async (o) => ({ labels: { partition: o.partition }, value: (await s.transport.stats(o.partition))[pick] })),
    )
  metrics.gauge('sage_partition_unread', 'Entries not yet read, per partition owned by this node', () => perPartition('unread'))
  metrics.gauge('sage_partition_pending', 'Entries read and not yet acknowledged, per partition owned by this node', () => perPartition('pending'))
  metrics.gauge('sage_partition_queued', 'Entries queued in memory for handling, per partition owned by this node', () =>
    s.coord.owned().map((o) => ({ labels: { partition: o.partition }, value: o.queued })),
  )
  metrics.gauge('sage_node_partitions_owned', 'Partitions this node owns', () => [{ labels: { node: s.nodeId }, value: s.coord.owned().length }])
  metrics.gauge('sage_worker_ready', 'Whether each pool Worker answered its ready handshake', () =>
    s.pool.states().map((w) => ({ labels: { worker: w.index }, value: w.ready ? 1 : 0 })),
  )
  metrics.gauge('sage_worker_running_jobs', 'Jobs running on each pool Worker', () =>
    s.pool.states().map((w) => ({ labels: { worker: w.index }, value: w.running })),
  )
  metrics.gauge('sage_worker_restarts', 'Times each pool Worker was replaced after a crash or hang', () =>
    s.pool.states().map((w) => ({ labels: { worker: w.index }, value: w.restarts })),
  )
}

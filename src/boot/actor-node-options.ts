import type { ActorNodeOptions } from '../actors/index.ts'
import type { Config } from '../config/index.ts'

/** The actor runtime's options, from the app's configuration (the one place that maps one to the other). */
export function actorNodeOptions(config: Config): ActorNodeOptions {
  return {
    nodeId: config.NODE_ID,
    partitions: config.SAGE_PARTITIONS,
    leaseMs: config.SAGE_LEASE_MS,
    workers: config.SAGE_WORKERS,
    commitConcurrency: config.SAGE_COMMIT_CONCURRENCY,
    redisPrefix: config.REDIS_PREFIX,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
  }
}

import type { Kysely } from 'kysely'
import type { Config } from '../config/index.ts'
import type { Database } from '../db/index.ts'
import type { Logger } from '../log/index.ts'
import type { Redis } from '../redis/index.ts'

/** What an actor node needs from the process that hosts it. */
export interface ActorNodeDeps {
  config: Config
  db: Kysely<Database>
  /** Null on the embedded default: the in-process mailbox is used. */
  redis: Redis | null
  log: Logger
}

/** A running actor node: owns a share of the mailbox partitions and a Worker pool. */
export interface ActorNode {
  readonly nodeId: string
  /** Drains in-flight messages, releases its partitions and stops its Workers. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts this process's actor node.
 * The seam for the actor runtime: today it only marks the node as started.
 */
export async function startActorNode(deps: ActorNodeDeps): Promise<ActorNode> {
  deps.log.info('actor node started', { node_id: deps.config.NODE_ID, transport: deps.redis ? 'redis' : 'in-process' })
  let stopped = false
  return {
    nodeId: deps.config.NODE_ID,
    async stop() {
      if (stopped) return
      stopped = true
      deps.log.info('actor node stopped', { node_id: deps.config.NODE_ID })
    },
  }
}

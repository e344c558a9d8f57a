/**
 * A node process for the failover and idle-memory figures: the benchmark behaviours on
 * the Redis transport, configured by the environment. Prints `ready <node id>`.
 */
import { startActorNode } from '../src/actors/index.ts'
// The file, not boot's index: that would load the HTTP app into this node and its idle RSS figure.
import { actorNodeOptions } from '../src/boot/actor-node-options.ts'
import { parseConfig } from '../src/config/index.ts'
import { connectDatabase } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'
import { closeRedis, connectRedis } from '../src/redis/index.ts'
import { benchBehaviours } from './bench-behaviours.ts'

const parsed = parseConfig(process.env)
if (!parsed.ok) {
  console.error(parsed.errors.join('\n'))
  process.exit(2)
}
const config = parsed.config
const log = createLogger(config.LOG_LEVEL, { node_id: config.NODE_ID })
const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, log })
const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : null
const noop = (): void => {}
const node = await startActorNode({
  options: actorNodeOptions(config),
  db: database.db,
  redis,
  log,
  behaviours: benchBehaviours({ started: noop, loaded: noop, flowDone: noop }),
})
console.log(`ready ${config.NODE_ID}`)
process.once('SIGTERM', async () => {
  await node.stop()
  if (redis) await closeRedis(redis)
  await database.close()
  process.exit(0)
})

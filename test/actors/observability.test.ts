/** `/metrics` for an actor node, and `bun run sage nodes`. */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { metricsRoutes } from '../../src/http/metrics.routes.ts'
import { createMetricsRegistry } from '../../src/metrics/index.ts'
import { testConfig } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { Flaky, Note } from './fixtures/behaviours.ts'
import { openTestDatabase, randomKey, startTestNode, type TestDatabase, type TestNode, uniqueRedisPrefix, waitFor } from './support/harness.ts'

const services = testServices()

describe.skipIf(!services.postgresUrl)('observability', () => {
  let database: TestDatabase
  let node: TestNode

  beforeAll(async () => {
    database = await openTestDatabase('postgres')
    node = await startTestNode({
      db: database.handle,
      nodeId: 'observed-node',
      redisPrefix: services.redisUrl ? uniqueRedisPrefix('metrics') : null,
      workers: 2,
    })
    await waitFor('partitions owned', () => node.node.owned().length === 8)
  }, 60_000)

  afterAll(async () => {
    await node?.stop()
    await database?.close()
  }, 30_000)

  it('serves Prometheus text with partition owners and lag, message counters and Worker-pool state', async () => {
    const key = randomKey()
    for (let i = 0; i < 5; i++) await node.node.client.tell(`rec/${key}/x`, Note({ sender: 'm', seq: i }))
    await node.node.client.tell(`rec/${key}/poison`, Flaky({ fail_times: 99 }))
    await waitFor('dead letter counted', async () => /sage_messages_dead_lettered_total\{partition="\d+"\} 1/.test(await node.node.metrics.render()))
    const app = metricsRoutes({ config: testConfig({ NODE_ID: 'observed-node' }), metrics: node.node.metrics })
    const res = await app.handle(new Request('http://localhost/metrics'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    const text = await res.text()
    expect(text).toContain('sage_up{node="observed-node"} 1')
    expect(text).toMatch(/sage_messages_handled_total\{partition="\d+"\} \d+/)
    expect(text).toMatch(/sage_messages_failed_total\{partition="\d+"\} 5/)
    expect(text).toMatch(/sage_partition_owner\{epoch="\d+",owner="observed-node",partition="0"\} 1/)
    expect(text).toMatch(/sage_partition_unread\{partition="0"\} 0/)
    expect(text).toMatch(/sage_partition_pending\{partition="0"\} \d+/)
    expect(text).toContain('sage_worker_ready{worker="0"} 1')
    expect(text).toContain('sage_worker_ready{worker="1"} 1')
    expect(text).toContain('sage_worker_running_jobs{worker="0"} 0')
    expect(text).toContain('sage_node_partitions_owned{node="observed-node"} 8')
  })

  it('answers with sage_up alone when the registry holds nothing else', async () => {
    const res = await metricsRoutes({ config: testConfig({ NODE_ID: 'web-only' }), metrics: createMetricsRegistry() }).handle(new Request('http://localhost/metrics'))
    expect(await res.text()).toBe('# HELP sage_up 1 while this process serves\n# TYPE sage_up gauge\nsage_up{node="web-only"} 1\n')
  })

  it('lists live nodes and the partitions each owns with `bun run sage nodes`', async () => {
    const env = { ...process.env, DATABASE_URL: database.url as string, SAGE_PARTITIONS: '8', SAGE_LEASE_MS: '3000', LOG_LEVEL: 'silent' }
    const table = Bun.spawnSync(['bun', 'run', 'sage', 'nodes'], { env, cwd: new URL('../..', import.meta.url).pathname })
    const out = table.stdout.toString()
    expect(table.exitCode).toBe(0)
    expect(out).toMatch(/^NODE\s+STATE\s+HEARTBEAT\s+OWNS\s+PARTITIONS/)
    expect(out).toMatch(/observed-node\s+live\s+\d+\.\ds ago\s+8\s+0-7/)
    expect(out).toContain('1 live node(s); 8/8 partitions owned')
    const json = Bun.spawnSync(['bun', 'scripts/sage.ts', 'nodes', '--json'], { env, cwd: new URL('../..', import.meta.url).pathname })
    const parsed = JSON.parse(json.stdout.toString())
    expect(parsed.nodes).toEqual([expect.objectContaining({ node_id: 'observed-node', live: true, partitions: [0, 1, 2, 3, 4, 5, 6, 7] })])
  })
})

/**
 * What the bench's peer engines record per run, on a real PostgreSQL: the README's Benchmarks
 * section says it, and the peers figure is only fair if they really do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import pg from 'pg'
import { AGENT_ROLES, type AgentRole } from '../src/agents/index.ts'
import { createScratchDatabase, testServices } from '../test/support/services.ts'
import { drive } from './closed-loop.ts'
import { startDbosPeer } from './dbos.peer.ts'
import { startLangGraphPeer } from './langgraph.peer.ts'
import { DAG_STAGES, type RoleOutputs, simulatedRoleOutputs } from './role-outputs.ts'

const services = testServices()
/** Launching an engine migrates its tables; under a full suite on two busy cores that takes seconds. */
const ENGINE_TEST_MS = 60_000

describe('simulatedRoleOutputs', () => {
  it("gives each of the seven roles the JSON a session's agent writes, of real size", async () => {
    const { texts, modelCpuMs } = await simulatedRoleOutputs('Bench a 0: invoice export', 'Finance users export filtered invoices as CSV files.', 1)
    expect(Object.keys(texts).sort()).toEqual([...AGENT_ROLES].sort())
    for (const role of AGENT_ROLES) {
      const output = JSON.parse(texts[role]) as { decisions: unknown[] }
      expect(output.decisions.length).toBeGreaterThan(0)
      // Model-written prose, not padding: it does not shrink to a sliver when compressed.
      expect(texts[role].length).toBeGreaterThan(1000)
      expect(Bun.gzipSync(texts[role]).length).toBeGreaterThan(texts[role].length / 4)
    }
    expect(modelCpuMs).toBeGreaterThan(0)
  }, ENGINE_TEST_MS)
})

describe.skipIf(!services.postgresUrl)('the peer engines on PostgreSQL', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>
  let admin: pg.Client
  let outputs: RoleOutputs
  beforeAll(async () => {
    scratch = await createScratchDatabase('peers')
    admin = new pg.Client({ connectionString: scratch.url })
    await admin.connect()
    outputs = await simulatedRoleOutputs('Bench a 0: invoice export', 'Finance users export filtered invoices as CSV files.', 1)
  }, ENGINE_TEST_MS)
  afterAll(async () => {
    await admin?.end()
    await scratch?.drop()
  })

  it('DBOS records each run as a workflow and each role as a step with its output, stage by stage', async () => {
    const peer = await startDbosPeer(scratch.url, outputs.texts, 4)
    try {
      await drive(peer, 6, 3)
    } finally {
      await peer.stop()
    }
    const workflows = await admin.query<{ status: string }>('select status from dbos.workflow_status')
    expect(workflows.rows.map((r) => r.status)).toEqual(Array(6).fill('SUCCESS'))
    const steps = await admin.query<{ workflow_uuid: string; function_id: number; function_name: string; output: string }>(
      'select workflow_uuid, function_id, function_name, output from dbos.operation_outputs order by workflow_uuid, function_id',
    )
    expect(steps.rows.length).toBe(6 * 7)
    const first = steps.rows.filter((r) => r.workflow_uuid === steps.rows[0]?.workflow_uuid)
    // Steps are numbered as they start: the stages in order, each stage's roles in the dag's order.
    expect(first.map((r) => r.function_name)).toEqual(DAG_STAGES.flat())
    // DBOS's serializer is superjson: the JSON, in an envelope naming it.
    for (const step of first) expect(JSON.parse(step.output).json).toEqual(JSON.parse(outputs.texts[step.function_name as AgentRole]))
    const app = await admin.query<{ n: string }>("select count(*)::text as n from pg_stat_activity where application_name = 'sage-bench-dbos'")
    expect(app.rows[0]?.n).toBe('0')
  }, ENGINE_TEST_MS)

  for (const durability of ['sync', 'async'] as const) {
    it(`LangGraph (${durability}) keeps one thread per run, checkpointed after each stage, ending with every role's output`, async () => {
      const peer = await startLangGraphPeer(scratch.url, outputs.texts, 4, durability)
      try {
        await drive(peer, 4, 2)
      } finally {
        await peer.stop()
      }
      const threads = await admin.query<{ thread_id: string; checkpoints: string }>(
        'select thread_id, count(*)::text as checkpoints from checkpoints group by thread_id',
      )
      expect(threads.rows.length).toBe(4)
      // Step -1 (the input), step 0 (START hands it on), then one per stage (1 to 4): the graph ends after the last stage.
      for (const t of threads.rows) expect(t.checkpoints).toBe('6')
      const writes = await admin.query<{ channel: string }>(
        `select channel from checkpoint_writes where thread_id = $1 and channel like '%_output'`,
        [threads.rows[0]?.thread_id],
      )
      expect(writes.rows.map((r) => r.channel).sort()).toEqual(AGENT_ROLES.map((r) => `${r}_output`).sort())
      // Each output is also saved as its channel's new version, a blob the next checkpoints point to.
      const blobs = await admin.query<{ channel: string }>(
        `select channel from checkpoint_blobs where thread_id = $1 and channel like '%_output'`,
        [threads.rows[0]?.thread_id],
      )
      expect(blobs.rows.map((r) => r.channel).sort()).toEqual(AGENT_ROLES.map((r) => `${r}_output`).sort())
      await admin.query('truncate checkpoints, checkpoint_writes, checkpoint_blobs')
    }, ENGINE_TEST_MS)
  }
})

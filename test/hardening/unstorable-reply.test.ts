import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AGENT_ROLES, type AgentRole, createSimulatedProvider } from '../../src/agents/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { type FakeModelServer, openaiStream, startFakeModelServer } from '../agents/support/fake-model-server.ts'
import { runAllRoles } from '../agents/support/inputs.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from '../orchestration/support.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const { redisUrl, redisPrefix } = testServices()
const NUL = '\u0000'
const LONE = '\ud800'

let model: FakeModelServer
/** Each role's reply: a valid output whose analysis holds a NUL and whose first decision holds a lone surrogate. */
const replies = new Map<string, string>()

beforeAll(async () => {
  model = startFakeModelServer()
  const outputs = await runAllRoles(createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }), { name: 'Invoice export', description: 'CSV export.' })
  for (const { role, output } of outputs) {
    const decisions = output.decisions.map((d, i) => (i === 0 ? { ...d, text: `${d.text} ${LONE}here` } : d))
    // JSON.stringify writes the NUL as \u0000 and the surrogate as \ud800: what a model server streams.
    const json = JSON.stringify({ ...output, analysis: `${output.analysis} with a ${NUL} inside`, decisions })
    expect(json).toContain('\\u0000')
    expect(json).toContain('\\ud800')
    replies.set(`${role}_output`, json)
  }
  model.reply((recorded, request) => {
    const format = recorded.body.response_format as { json_schema: { name: string } }
    return openaiStream(replies.get(format.json_schema.name) ?? '{}', { chunks: 4 })(recorded, request)
  })
})
afterAll(() => model.stop())

for (const engine of testEngines()) {
  const onRedis = engine.name === 'postgres' && redisUrl !== null
  describe(`a model reply PostgreSQL cannot store as sent (${onRedis ? 'PostgreSQL + Redis Streams' : `${engine.name}, in-process`})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    let owner: { userId: number; teamId: number }

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: onRedis ? `${redisPrefix}unst${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_API_KEY: 'sk-test', MODEL_NAME: 'gpt-4o', TASK_MAX_RETRIES: '0' },
      })
      owner = await newTeam(db.db)
    })
    afterAll(async () => {
      await orch.stop()
      await db.close()
    })

    it('completes every task with the NUL removed and the lone surrogate replaced, and the snapshot counts them', async () => {
      const sid = await startSession(db.db, orch.control, owner, { feature_name: 'Invoice export', description: 'CSV export.' })
      expect(await waitForEnd(db.db, sid, 30_000)).toBe('completed')
      const tasks = await tasksByRole(db.db, sid)
      expect([...tasks.keys()].sort()).toEqual([...AGENT_ROLES].sort())
      for (const [role, task] of tasks as Map<AgentRole, (typeof tasks extends Map<AgentRole, infer T> ? T : never)>) {
        expect([role, task.status]).toEqual([role, 'completed'])
        const output = task.output_data as { analysis: string; decisions: Array<{ text: string }> }
        expect(output.analysis).toEndWith('with a  inside')
        expect(output.decisions[0]?.text).toEndWith(' \ufffdhere')
        const decisions = await db.db.selectFrom('task_decisions').select('decision_text').where('agent_task_id', '=', task.id).orderBy('id').execute()
        expect(decisions[0]?.decision_text).toEndWith(' \ufffdhere')
        const snapshot = await db.db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', task.id).executeTakeFirstOrThrow()
        expect(snapshot.execution_metadata).toMatchObject({ outcome: 'completed', provider: 'openai', replaced_characters: 2 })
      }
    })
  })
}

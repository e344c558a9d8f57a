import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createSimulatedProvider } from '../../src/agents/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from '../orchestration/support.ts'
import { testEngines } from '../support/engines.ts'
import { errorReply, type FakeModelServer, openaiStream, startFakeModelServer } from './support/fake-model-server.ts'
import { runAllRoles } from './support/inputs.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const NOT_JSON = 'I think the invoice export is mostly safe, but I need more details about the reminder emails.'

let model: FakeModelServer
const valid = new Map<string, string>()
let securityCalls = 0

beforeAll(async () => {
  model = startFakeModelServer()
  const outputs = await runAllRoles(createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }), { name: 'Invoice export', description: 'CSV export.' })
  for (const { role, output } of outputs) valid.set(`${role}_output`, JSON.stringify(output))
})
afterAll(() => model.stop())

for (const engine of testEngines()) {
  describe(`a session on a real-model stand-in (${engine.name})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    let owner: { userId: number; teamId: number }

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: null,
        env: {
          MODEL_PROVIDER: 'openai',
          OPENAI_BASE_URL: `${model.url}/v1`,
          MODEL_NAME: 'primary-model',
          MODEL_FALLBACKS: 'fallback-model',
          TASK_MAX_RETRIES: '1',
        },
      })
      owner = await newTeam(db.db)
    })
    afterAll(async () => {
      await orch.stop()
      await db.close()
    })

    it('completes on the fallback model, and keeps what the model said in a failed attempt’s snapshot', async () => {
      securityCalls = 0
      model.reply((recorded, request) => {
        // The primary is down; the fallback answers, but the Security Specialist's first attempt (answer and repair) is prose.
        if (recorded.body.model === 'primary-model') return errorReply(500, { error: { message: 'upstream unavailable' } })(recorded, request)
        const name = (recorded.body.response_format as { json_schema: { name: string } }).json_schema.name
        if (name === 'security_specialist_output' && ++securityCalls <= 2) return openaiStream(NOT_JSON, { model: 'fallback-model' })(recorded, request)
        return openaiStream(valid.get(name) ?? '{}', { model: 'fallback-model', chunks: 3, usage: [1800, 600], cachedTokens: 1024 })(recorded, request)
      })
      const sid = await startSession(db.db, orch.control, owner, { feature_name: 'Invoice export', description: 'CSV export.' })
      expect(await waitForEnd(db.db, sid, 30_000)).toBe('completed')

      const tasks = await tasksByRole(db.db, sid)
      for (const task of tasks.values()) expect([task.agent_role, task.status, task.model]).toEqual([task.agent_role, 'completed', 'fallback-model'])
      // The prompt-cache hits the server reported for each task's completing call are recorded on the task.
      const cached = await db.db.selectFrom('agent_tasks').select(['agent_role', 'cached_input_tokens']).where('session_id', '=', sid).execute()
      for (const row of cached) expect([row.agent_role, row.cached_input_tokens]).toEqual([row.agent_role, 1024])

      const security = tasks.get('security_specialist')
      const snapshots = await db.db
        .selectFrom('agent_snapshots')
        .select('execution_metadata')
        .where('agent_task_id', '=', security?.id as number)
        .orderBy('id')
        .execute()
      const [failed, completed] = snapshots.map((s) => s.execution_metadata as Record<string, unknown>)
      expect(failed).toMatchObject({ outcome: 'failed', attempt: 1, reply_outcome: 'failed' })
      expect(failed?.replies).toMatchObject([
        { purpose: 'answer', model: 'fallback-model', text: NOT_JSON, finishReason: 'stop' },
        { purpose: 'repair', model: 'fallback-model', text: NOT_JSON, finishReason: 'stop' },
      ])
      expect(completed).toMatchObject({ outcome: 'completed', attempt: 2, model: 'fallback-model', reply_outcome: 'valid' })
      expect(completed?.replies).toMatchObject([{ purpose: 'answer', provider: 'openai', model: 'fallback-model', text: valid.get('security_specialist_output') }])
    })
  })
}

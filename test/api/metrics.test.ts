import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { registerAppGauges } from '../../src/http/index.ts'
import { req, signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

describe('/metrics', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
    registerAppGauges(t.deps.metrics, t.deps.db)
  })
  afterAll(() => t.close())

  it('counts HTTP requests by method and status, and reports tasks by status and model tokens', async () => {
    const user = await signUp(t.app)
    const team = await user.post('/api/teams', { name: 'Metrics team' })
    const teamId = (team.body as { team: { id: number } }).team.id
    const created = await user.post('/api/sessions', { team_id: teamId, feature_name: 'Counted', agents: ['software_architect'] })
    expect(created.status).toBe(201)
    const sessionId = (created.body as { session: { id: number } }).session.id
    await req(t.app, '/api/auth/me')
    const model = `model-${sessionId}`
    await t.deps.db.updateTable('agent_tasks').set({ model, input_tokens: 11, output_tokens: 22 }).where('session_id', '=', sessionId).execute()
    const text = await (await req(t.app, '/metrics')).text()
    expect(text).toMatch(/sage_http_requests_total\{method="GET",status="401"\} [1-9]/)
    expect(text).toMatch(/sage_http_requests_total\{method="POST",status="201"\} [1-9]/)
    expect(text).toMatch(/sage_tasks\{status="pending"\} [1-9]/)
    expect(text).toContain(`sage_model_tokens{direction="input",model="${model}"} 11`)
    expect(text).toContain(`sage_model_tokens{direction="output",model="${model}"} 22`)
  })
})

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { PageClient } from '../pages/page-client.ts'
import { testEngines } from '../support/engines.ts'
import { signUp, startTestApp, type TestApp } from '../support/http.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const evil = '<img src=x onerror=alert(1)>'

for (const engine of testEngines()) {
  describe(`the task inspector's model replies (${engine.name})`, () => {
    let t: TestApp
    beforeAll(async () => {
      t = await startTestApp({ engine })
    })
    afterAll(() => t.close())

    it("shows every attempt's raw replies, the failed one's included, escaped", async () => {
      const client = new PageClient(t.app, await signUp(t.app))
      const team = await client.post('/teams', { name: 'Platform', description: 'x', is_shared: 'true' })
      const teamId = Number(/^\/teams\/(\d+)$/.exec(team.location ?? '')?.[1])
      const created = await client.post('/sessions', { team_id: String(teamId), feature_name: 'Invoice export', description: 'CSV', plan: 'dag', agents: 'security_specialist' })
      const sessionId = Number(/^\/sessions\/(\d+)$/.exec(created.location ?? '')?.[1])
      const task = await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', sessionId).executeTakeFirstOrThrow()
      const reply = (text: string, purpose: string) => ({ purpose, provider: 'openai', model: 'llama3.1:8b', text, chars: text.length, finishReason: 'stop', firstTokenMs: 210, totalMs: 4100 })
      for (const metadata of [
        { outcome: 'failed', attempt: 1, reply_outcome: 'failed', replies: [reply(`Sure! ${evil}`, 'answer'), reply('still prose', 'repair')] },
        { outcome: 'completed', attempt: 2, reply_outcome: 'repaired_locally', replies: [reply("{'analysis': 'ok',}", 'answer')] },
      ]) {
        await t.deps.db
          .insertInto('agent_snapshots')
          .values({ agent_task_id: task.id, agent_role: 'security_specialist', context_state: '{}', capabilities: '[]', decisions: '[]', execution_metadata: JSON.stringify(metadata) })
          .execute()
      }

      const page = await client.get(`/tasks/${task.id}`)
      expect(page.status).toBe(200)
      expect(page.html).toContain('Model replies')
      expect(page.html).toContain('Attempt 1 · failed · reply failed')
      expect(page.html).toContain('Attempt 2 · completed · reply repaired locally')
      expect(page.html).toContain('Sure! &lt;img src=x onerror=alert(1)&gt;')
      expect(page.html).not.toContain(evil)
      expect(page.html).toContain('still prose')
      expect(page.html).toContain('2. Repair call · openai / llama3.1:8b · stop')
    })
  })
}

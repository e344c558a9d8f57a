/**
 * Issue 14 item 1: a Worker crash counts only against the job that caused it. One session whose
 * backend developer crashes its Worker on every attempt runs beside plain sessions: the crasher
 * fails (its retries are spent), every plain session completes without losing an attempt.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { primaryEngine } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from '../orchestration/support.ts'

setDefaultTimeout(150_000)

const { redisUrl, redisPrefix } = testServices()
const PLAIN = 20

for (const workers of ['2', '4']) {
  describe(`a crashing job beside ${PLAIN} plain sessions (SAGE_WORKERS=${workers})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode

    beforeAll(async () => {
      db = await primaryEngine().open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: redisUrl ? `${redisPrefix}wc${Math.random().toString(36).slice(2, 6)}:` : null,
        // Model calls that overlap, so plain jobs share the crasher's Worker when it dies.
        env: { SAGE_WORKERS: workers, TASK_MAX_RETRIES: '2', TASK_RETRY_BASE_MS: '20', TASK_TIMEOUT_MS: '20000', SIM_LATENCY_MS: '150-400' },
      })
    })
    afterAll(async () => {
      await orch?.stop()
      await db?.close()
    })

    it('fails only the crasher; no plain session fails or loses an attempt', async () => {
      const owner = await newTeam(db.db)
      const crasher = await startSession(db.db, orch.control, owner, { feature_name: 'Crashy [sim:crash=backend_developer]', description: 'Crashes its Worker.' })
      const plain: number[] = []
      for (let i = 0; i < PLAIN; i++) {
        plain.push(await startSession(db.db, orch.control, owner, { feature_name: `Plain ${i}`, description: 'Invoice export to CSV.' }))
      }
      const ends = await Promise.all(plain.map((sid) => waitForEnd(db.db, sid, 120_000)))
      expect(ends.filter((s) => s !== 'completed')).toEqual([])
      const retried = await db.db.selectFrom('agent_tasks').select(['session_id', 'agent_role', 'retry_count']).where('session_id', 'in', plain).where('retry_count', '>', 0).execute()
      expect(retried).toEqual([])

      expect(await waitForEnd(db.db, crasher, 120_000)).toBe('failed')
      const backend = (await tasksByRole(db.db, crasher)).get('backend_developer')
      expect(backend).toMatchObject({ status: 'failed', retry_count: 2 })
      expect(backend?.error_message).toContain('worker-crashed')
    })
  })
}

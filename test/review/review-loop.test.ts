import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import type { AgentRole } from '../../src/agents/index.ts'
import type { DatabaseHandle, ReviewSetting } from '../../src/db/index.ts'
import type { VerdictRequest } from '../../src/orchestration/index.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { eventTypes, newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, until, waitForEnd } from '../orchestration/support.ts'

setDefaultTimeout(60_000)

const { redisUrl, redisPrefix } = testServices()
const DESCRIPTION = 'Finance users export filtered invoices as CSV files.'

for (const engine of testEngines()) {
  describe(`review gates and resume through the supervisor (${engine.name})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    let owner: { userId: number; teamId: number }
    let reviewer: string

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: engine.name === 'postgres' && redisUrl ? `${redisPrefix}rev${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { TASK_MAX_RETRIES: '1', TASK_TIMEOUT_MS: '3000', SIM_LATENCY_MS: '0' },
      })
      owner = await newTeam(db.db)
      reviewer = (await db.db.selectFrom('users').select('username').where('id', '=', owner.userId).executeTakeFirstOrThrow()).username
    })
    afterAll(async () => {
      await orch?.stop()
      await db?.close()
    })

    const start = (feature: string, agents: AgentRole[], review: ReviewSetting): Promise<number> =>
      startSession(db.db, orch.control, owner, { feature_name: feature, description: DESCRIPTION, plan: 'sequential', agents, review } as never)

    const task = async (sid: number, role: AgentRole) => {
      const found = (await tasksByRole(db.db, sid)).get(role)
      if (!found) throw new Error(`no ${role} task`)
      return found
    }
    const awaiting = (sid: number, role: AgentRole, attempt = 1): Promise<void> =>
      until(`${role} to await review (attempt ${attempt})`, async () => {
        const t = await task(sid, role)
        return t.status === 'awaiting_review' && t.retry_count + 1 === attempt
      })
    const verdict = async (sid: number, role: AgentRole, v: VerdictRequest['verdict'], comment: string | null = null, attempt?: number) => {
      const t = await task(sid, role)
      return orch.control.review({
        session_id: sid,
        task_id: t.id,
        attempt: attempt ?? t.retry_count + 1,
        verdict: v,
        comment,
        reviewer_id: owner.userId,
        reviewer,
      })
    }
    const reviewsOf = (taskId: number) => db.db.selectFrom('task_reviews').selectAll().where('task_id', '=', taskId).orderBy('id').execute()

    it('holds the dependants of a task under review until it is approved, then completes', async () => {
      const sid = await start('Invoice export', ['software_architect', 'backend_developer'], 'all')
      await awaiting(sid, 'software_architect')
      expect((await task(sid, 'backend_developer')).status).toBe('pending')
      const session = await db.db.selectFrom('execution_sessions').select(['status', 'awaiting']).where('id', '=', sid).executeTakeFirstOrThrow()
      expect(session).toEqual({ status: 'active', awaiting: 'review' })
      expect(await verdict(sid, 'software_architect', 'approve')).toBe('reviewed')
      await awaiting(sid, 'backend_developer')
      expect((await task(sid, 'software_architect')).status).toBe('completed')
      expect(await verdict(sid, 'backend_developer', 'approve', 'Looks right.')).toBe('reviewed')
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      const types = await eventTypes(db.db, sid)
      expect(types.filter((t) => t === 'task_review_requested')).toHaveLength(2)
      expect(types.filter((t) => t === 'task_reviewed')).toHaveLength(2)
      expect(types.filter((t) => t === 'task_completed')).toHaveLength(0)
      expect(types.at(-1)).toBe('session_completed')
      const architect = await task(sid, 'software_architect')
      expect(await reviewsOf(architect.id)).toMatchObject([{ attempt: 1, verdict: 'approve', reviewer, reviewer_id: owner.userId, comment: null }])
      const ended = await db.db.selectFrom('execution_sessions').select('awaiting').where('id', '=', sid).executeTakeFirstOrThrow()
      expect(ended.awaiting).toBeNull()
    })

    it('runs a second attempt with the reviewer comment in its prompt on changes, and asks again', async () => {
      const sid = await start('Invoice export', ['software_architect', 'backend_developer'], ['software_architect'])
      await awaiting(sid, 'software_architect')
      const first = await task(sid, 'software_architect')
      expect(await verdict(sid, 'software_architect', 'changes', 'Use event sourcing for the ledger.')).toBe('reviewed')
      await awaiting(sid, 'software_architect', 2)
      const second = await task(sid, 'software_architect')
      expect(second.id).toBe(first.id)
      expect((await task(sid, 'backend_developer')).status).toBe('pending')
      const snapshots = await db.db.selectFrom('agent_snapshots').selectAll().where('agent_task_id', '=', first.id).orderBy('id').execute()
      expect(snapshots.map((s) => (s.execution_metadata as { attempt: number }).attempt)).toEqual([1, 2])
      expect((snapshots[0]?.context_state as { prompt: { user: string } }).prompt.user).not.toContain('event sourcing')
      expect(JSON.stringify(snapshots[1]?.context_state)).toContain('Use event sourcing for the ledger.')
      expect(await verdict(sid, 'software_architect', 'approve')).toBe('reviewed')
      // The backend is not reviewed: it completes by itself.
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      expect((await reviewsOf(first.id)).map((r) => [r.attempt, r.verdict])).toEqual([
        [1, 'changes'],
        [2, 'approve'],
      ])
    })

    it('fails a rejected task without retry and skips its dependants', async () => {
      const sid = await start('Invoice export', ['software_architect', 'backend_developer', 'database_administrator'], 'all')
      await awaiting(sid, 'software_architect')
      expect(await verdict(sid, 'software_architect', 'reject', 'Out of scope.')).toBe('reviewed')
      expect(await waitForEnd(db.db, sid)).toBe('failed')
      const tasks = await tasksByRole(db.db, sid)
      expect(tasks.get('software_architect')).toMatchObject({ status: 'failed', retry_count: 0 })
      expect(tasks.get('software_architect')?.error_message).toContain('Out of scope.')
      expect(tasks.get('backend_developer')?.status).toBe('skipped')
      expect(tasks.get('database_administrator')?.status).toBe('skipped')
    })

    it('records exactly one of 50 concurrent verdicts on one attempt', async () => {
      const sid = await start('Invoice export', ['software_architect'], 'all')
      await awaiting(sid, 'software_architect')
      const outcomes = await Promise.all(Array.from({ length: 50 }, (_, i) => verdict(sid, 'software_architect', i % 2 ? 'approve' : 'reject', `verdict ${i}`, 1)))
      expect(outcomes.filter((o) => o === 'reviewed')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(49)
      expect(await reviewsOf((await task(sid, 'software_architect')).id)).toHaveLength(1)
      expect((await eventTypes(db.db, sid)).filter((t) => t === 'task_reviewed')).toHaveLength(1)
    })

    it('answers conflict for a verdict on a task that is not awaiting review, changing nothing', async () => {
      const sid = await start('Invoice export', ['software_architect'], 'none')
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      const before = await eventTypes(db.db, sid)
      expect(await verdict(sid, 'software_architect', 'approve')).toBe('conflict')
      expect(await eventTypes(db.db, sid)).toEqual(before)
      expect(await reviewsOf((await task(sid, 'software_architect')).id)).toHaveLength(0)
    })

    it('gates outputs under the team confidence threshold', async () => {
      const team = await newTeam(db.db)
      // Every simulated confidence is below 0.99 (0.55..0.95): each output waits, for its confidence.
      await db.db.updateTable('teams').set({ review_below_confidence: 0.99 }).where('id', '=', team.teamId).execute()
      const sid = await startSession(db.db, orch.control, team, { feature_name: 'Invoice export', description: DESCRIPTION, agents: ['software_architect'] })
      await awaiting(sid, 'software_architect')
      const events = await db.db.selectFrom('session_events').select('data').where('session_id', '=', sid).where('type', '=', 'task_review_requested').execute()
      const data = events[0]?.data as { reason: string; confidence: number }
      expect(data.reason).toBe('confidence')
      expect(data.confidence).toBeLessThan(0.99)
      // The team's threshold at 0: nothing is below it, nothing waits.
      await db.db.updateTable('teams').set({ review_below_confidence: 0 }).where('id', '=', team.teamId).execute()
      const other = await startSession(db.db, orch.control, team, { feature_name: 'Invoice export', description: DESCRIPTION, agents: ['software_architect'] })
      expect(await waitForEnd(db.db, other)).toBe('completed')
    })

    it('resumes a failed session: completed tasks kept, the failed and skipped ones run again', async () => {
      const sid = await start('Invoice export [sim:fatal=backend_developer:1]', ['software_architect', 'backend_developer', 'database_administrator'], 'none')
      expect(await waitForEnd(db.db, sid)).toBe('failed')
      const before = await tasksByRole(db.db, sid)
      expect(before.get('backend_developer')?.status).toBe('failed')
      expect(before.get('database_administrator')?.status).toBe('skipped')
      expect(await orch.control.resume(sid)).toBe('resumed')
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      const after = await tasksByRole(db.db, sid)
      const keep = ['id', 'input_tokens', 'output_tokens', 'started_at', 'completed_at', 'output_data'] as const
      for (const key of keep) expect(after.get('software_architect')?.[key]).toEqual(before.get('software_architect')?.[key] as never)
      // Attempt 2 of the backend (its first failed for good), with a fresh retry budget.
      expect(after.get('backend_developer')).toMatchObject({ status: 'completed', retry_count: 1, error_message: null })
      // The DBA never ran before: its first attempt is attempt 1.
      expect(after.get('database_administrator')).toMatchObject({ status: 'completed', retry_count: 0 })
      const backendSnapshots = await db.db.selectFrom('agent_snapshots').select('execution_metadata').where('agent_task_id', '=', after.get('backend_developer')?.id as number).orderBy('id').execute()
      expect(backendSnapshots.map((s) => (s.execution_metadata as { outcome: string }).outcome)).toEqual(['failed', 'completed'])
      const types = await eventTypes(db.db, sid)
      expect(types.filter((t) => t === 'session_resumed')).toHaveLength(1)
      expect(types.filter((t) => t === 'session_failed')).toHaveLength(1)
      expect(types.at(-1)).toBe('session_completed')
      expect(await orch.control.resume(sid)).toBe('not_ended')
    })

    it('resumes a cancelled session', async () => {
      const sid = await start('Invoice export [sim:hang=backend_developer:1]', ['software_architect', 'backend_developer'], 'none')
      await until('the backend to run', async () => (await task(sid, 'backend_developer')).status === 'running')
      expect(await orch.control.cancel(sid)).toBe('ended')
      expect(await waitForEnd(db.db, sid)).toBe('cancelled')
      const architect = await task(sid, 'software_architect')
      expect(await orch.control.resume(sid)).toBe('resumed')
      expect(await waitForEnd(db.db, sid)).toBe('completed')
      expect(await task(sid, 'software_architect')).toEqual(architect)
      expect(await task(sid, 'backend_developer')).toMatchObject({ status: 'completed', retry_count: 1 })
      const row = await db.db.selectFrom('execution_sessions').select(sql<number>`event_seq`.as('n')).where('id', '=', sid).executeTakeFirstOrThrow()
      expect(row.n).toBeGreaterThan(0)
    })
  })
}

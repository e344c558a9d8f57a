import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { AgentRole } from '../../src/agents/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { forkSession, type SessionControl } from '../../src/orchestration/index.ts'
import { changedRoles, diffSessions, loadDiffSide } from '../../src/sessions/index.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { eventTypes, newTeam, type OrchestrationNode, startOrchestrationNode, startSession, tasksByRole, waitForEnd } from '../orchestration/support.ts'

setDefaultTimeout(90_000)

const { redisUrl, redisPrefix } = testServices()
const FEATURE = { feature_name: 'Invoice export to CSV', description: 'Finance users export filtered invoices as CSV files.' }
const UPSTREAM_OF_FRONTEND: AgentRole[] = ['software_architect', 'backend_developer', 'database_administrator', 'ui_ux_designer']
const FROM_FRONTEND: AgentRole[] = ['frontend_developer', 'security_specialist', 'it_administrator']

for (const engine of testEngines()) {
  // PostgreSQL runs with Redis Streams (when up); PGlite with the embedded in-process mailbox.
  const redis = engine.name === 'postgres' && redisUrl !== null
  describe(`fork (${engine.name}, ${redis ? 'Redis Streams' : 'in-process'})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    let owner: { userId: number; teamId: number }
    let parentId: number

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: redis ? `${redisPrefix}fork${Math.random().toString(36).slice(2, 6)}:` : null,
        env: { TASK_MAX_RETRIES: '1', TASK_TIMEOUT_MS: '5000', SIM_LATENCY_MS: '0' },
      })
      owner = await newTeam(db.db)
      // The team's journal holds a decision from the start (written in the session's own commit): its roles read it.
      const control: SessionControl = {
        ...orch.control,
        async sessionCreated(trx, session, tasks) {
          await trx.insertInto('session_decisions').values({ session_id: session.id, decision_text: 'Keep CSV under 10 MB', category: 'scope', confidence: 'high', user_id: owner.userId }).execute()
          return orch.control.sessionCreated(trx, session, tasks)
        },
      }
      parentId = await startSession(db.db, control, owner, FEATURE)
      expect(await waitForEnd(db.db, parentId)).toBe('completed')
      // Added after the run: the parent's roles never read it, so the fork does not copy it.
      await db.db.insertInto('session_decisions').values({ session_id: parentId, decision_text: 'Added after the run', category: 'scope', confidence: 'low', user_id: owner.userId }).execute()
    })
    afterAll(async () => {
      await orch.stop()
      await db.close()
    })

    it('copies what the chosen role does not feed with zero tokens and re-runs it and its downstream; without feedback the diff is empty', async () => {
      const parentTasks = await tasksByRole(db.db, parentId)
      const forked = await forkSession(db.db, orch.control, owner.userId, parentId, { from_role: 'frontend_developer' })
      if (!forked.ok) throw new Error(forked.reason)
      const fork = forked.session
      expect(fork.parent_id).toBe(parentId)
      expect(fork.forked_from_role).toBe('frontend_developer')
      expect(await waitForEnd(db.db, fork.id)).toBe('completed')
      const tasks = await tasksByRole(db.db, fork.id)
      for (const role of UPSTREAM_OF_FRONTEND) {
        const task = tasks.get(role)
        const original = parentTasks.get(role)
        expect(task?.reused_from_task_id).toBe(original?.id as number)
        expect(task?.status).toBe('completed')
        expect([task?.input_tokens, task?.output_tokens, task?.cost_usd]).toEqual([0, 0, 0])
        expect(task?.output_data).toEqual(original?.output_data)
        const decisions = await db.db.selectFrom('task_decisions').select('decision_text').where('agent_task_id', '=', task?.id as number).orderBy('id').execute()
        const theirs = await db.db.selectFrom('task_decisions').select('decision_text').where('agent_task_id', '=', original?.id as number).orderBy('id').execute()
        expect(decisions.length).toBeGreaterThan(0)
        expect(decisions).toEqual(theirs)
        const snapshots = await db.db.selectFrom('agent_snapshots').select('context_state').where('agent_task_id', '=', task?.id as number).execute()
        expect(snapshots).toHaveLength(1)
      }
      for (const role of FROM_FRONTEND) {
        const task = tasks.get(role)
        expect(task?.reused_from_task_id).toBeNull()
        expect(task?.input_tokens).toBeGreaterThan(0)
        expect(task?.feedback).toBeNull()
      }
      // The journal came along as it stood when the parent's frontend started: the re-run roles read what the parent's read.
      const journal = await db.db.selectFrom('session_decisions').select('decision_text').where('session_id', '=', fork.id).execute()
      expect(journal.map((d) => d.decision_text)).toEqual(['Keep CSV under 10 MB'])
      // The copied tasks are completed in the event log too, right after session_started.
      const types = await eventTypes(db.db, fork.id)
      expect(types.slice(0, 5)).toEqual(['session_started', 'task_completed', 'task_completed', 'task_completed', 'task_completed'])
      const diff = diffSessions(await loadDiffSide(db.db, fork.id), await loadDiffSide(db.db, parentId))
      expect(changedRoles(diff)).toEqual([])
      expect(diff.roles).toHaveLength(7)
      // The simulated model is free (cost 0), so the copies show in the tokens: the fork used fewer.
      expect(diff.cost_usd_delta).toBe(0)
      const sum = (m: Map<AgentRole, { input_tokens: number }>): number => [...m.values()].reduce((n, t) => n + t.input_tokens, 0)
      expect(sum(tasks)).toBeLessThan(sum(parentTasks))
    })

    it('with feedback differs only in the chosen role and downstream, and the prompt holds the feedback', async () => {
      const feedback = 'Use server-sent events for export progress instead of polling.'
      const forked = await forkSession(db.db, orch.control, owner.userId, parentId, { from_role: 'frontend_developer', feedback })
      if (!forked.ok) throw new Error(forked.reason)
      expect(await waitForEnd(db.db, forked.session.id)).toBe('completed')
      const tasks = await tasksByRole(db.db, forked.session.id)
      expect(tasks.get('frontend_developer')?.feedback).toBe(feedback)
      const snapshot = await db.db.selectFrom('agent_snapshots').select('context_state').where('agent_task_id', '=', tasks.get('frontend_developer')?.id as number).executeTakeFirstOrThrow()
      expect(JSON.stringify(snapshot.context_state)).toContain(feedback)
      const changed = changedRoles(diffSessions(await loadDiffSide(db.db, forked.session.id), await loadDiffSide(db.db, parentId)))
      expect(changed).toContain('frontend_developer')
      for (const role of changed) expect(FROM_FRONTEND).toContain(role as AgentRole)
    })

    it('forks a failed session: what did not complete runs again, and a fork of the fork copies the copies', async () => {
      const failedId = await startSession(db.db, orch.control, owner, { feature_name: 'Audit log', description: 'Track admin changes [sim:fatal=backend_developer]' })
      expect(await waitForEnd(db.db, failedId)).toBe('failed')
      const forked = await forkSession(db.db, orch.control, owner.userId, failedId, {
        from_role: 'backend_developer',
        feedback: 'Write the audit rows in the same transaction.',
        description: 'Track admin changes',
      })
      if (!forked.ok) throw new Error(forked.reason)
      expect(await waitForEnd(db.db, forked.session.id)).toBe('completed')
      const tasks = await tasksByRole(db.db, forked.session.id)
      const parent = await tasksByRole(db.db, failedId)
      expect(tasks.get('software_architect')?.reused_from_task_id).toBe(parent.get('software_architect')?.id as number)
      expect(tasks.get('database_administrator')?.reused_from_task_id).toBe(parent.get('database_administrator')?.id as number)
      expect(tasks.get('backend_developer')?.input_tokens).toBeGreaterThan(0)
      expect(tasks.get('frontend_developer')?.reused_from_task_id).toBeNull()
      const again = await forkSession(db.db, orch.control, owner.userId, forked.session.id, { from_role: 'it_administrator' })
      if (!again.ok) throw new Error(again.reason)
      expect(await waitForEnd(db.db, again.session.id)).toBe('completed')
      const third = await tasksByRole(db.db, again.session.id)
      expect(third.get('security_specialist')?.reused_from_task_id).toBe(tasks.get('security_specialist')?.id as number)
      expect(third.get('it_administrator')?.reused_from_task_id).toBeNull()
    })

    it('refuses an active session and a role not in the session, and writes nothing', async () => {
      const activeId = await startSession(db.db, orch.control, owner, { feature_name: 'Slow one', description: '[sim:hang=software_architect]' })
      const before = await db.db.selectFrom('execution_sessions').select('id').where('team_id', '=', owner.teamId).execute()
      expect(await forkSession(db.db, orch.control, owner.userId, activeId, { from_role: 'software_architect' })).toEqual({ ok: false, reason: 'active' })
      const partial = await startSession(db.db, orch.control, owner, { feature_name: 'Only two', agents: ['software_architect', 'backend_developer'] })
      expect(await waitForEnd(db.db, partial)).toBe('completed')
      expect(await forkSession(db.db, orch.control, owner.userId, partial, { from_role: 'it_administrator' })).toEqual({ ok: false, reason: 'unknown_role' })
      expect(await forkSession(db.db, orch.control, owner.userId, 999_999_999, { from_role: 'it_administrator' })).toEqual({ ok: false, reason: 'not_found' })
      const after = await db.db.selectFrom('execution_sessions').select('id').where('team_id', '=', owner.teamId).execute()
      expect(after.length).toBe(before.length + 1)
      // Once cancelled it may be forked: what never completed (here every role) runs again.
      expect(await orch.control.cancel(activeId)).toBe('ended')
      const forked = await forkSession(db.db, orch.control, owner.userId, activeId, { from_role: 'backend_developer', feature_name: 'Fast one', description: '' })
      if (!forked.ok) throw new Error(forked.reason)
      expect(await waitForEnd(db.db, forked.session.id)).toBe('completed')
      const tasks = await tasksByRole(db.db, forked.session.id)
      expect([...tasks.values()].every((t) => t.reused_from_task_id === null && t.status === 'completed')).toBe(true)
      expect(forked.session.feature_name).toBe('Fast one')
    })
  })
}

/**
 * The session page's and the session API's one-statement reads give exactly what the separate
 * reads they replace give (rows, order, Dates to the millisecond, numbers), and the same access:
 * a member sees it with their role, a stranger and a missing id get null.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { latestProgress, retryTimes } from '../../src/events/index.ts'
import {
  getSession,
  listDecisions,
  listFindings,
  listSessionReviews,
  listTasks,
  loadLineage,
  readSessionDetail,
  readSessionPage,
  sessionBudgetStatus,
  taskDecisionsByTask,
} from '../../src/sessions/index.ts'
import { seedCompletedSession } from '../document/completed-session.ts'
import { testEngines } from '../support/engines.ts'

setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`the session page's one-statement read (${engine.name})`, () => {
    let handle: DatabaseHandle
    let owner: number
    let viewer: number
    let stranger: number
    let sessionId: number
    let forkId: number

    beforeAll(async () => {
      handle = await engine.open()
      const { db } = handle
      const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
      const user = async (n: string): Promise<number> =>
        (await db.insertInto('users').values({ username: `${n}_${stamp}`, email: `${n}_${stamp}@example.test`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id
      owner = await user('owner')
      viewer = await user('viewer')
      stranger = await user('stranger')
      const team = await db.insertInto('teams').values({ name: `Page team ${stamp}`, owner_id: owner, session_budget_usd: 2.5 }).returning('id').executeTakeFirstOrThrow()
      await db.insertInto('team_memberships').values([{ team_id: team.id, user_id: owner, role: 'owner' }, { team_id: team.id, user_id: viewer, role: 'viewer' }]).execute()
      sessionId = await seedCompletedSession(db, {
        teamId: team.id,
        userId: owner,
        featureName: 'Password reset',
        memberDecision: { text: 'Links expire after 30 minutes', category: 'security', confidence: 'high' },
      })
      const tasks = await listTasks(db, sessionId)
      const [first, second] = tasks
      if (!first || !second) throw new Error('seed: no tasks')
      // A running task that streamed (two attempts' progress: only the latest counts), a retry, verdicts, findings, a reservation, a fork.
      await db.updateTable('agent_tasks').set({ status: 'running', retry_count: 1, completed_at: null }).where('id', '=', second.id).execute()
      await db.updateTable('execution_sessions').set({ status: 'active', event_seq: 5, consistency_score: 80, budget_usd: 1.25 }).where('id', '=', sessionId).execute()
      const event = (seq: number, type: string, data: unknown) => ({ session_id: sessionId, seq, type, data: JSON.stringify(data) })
      await db
        .insertInto('session_events')
        .values([
          event(1, 'task_progress', { task_id: second.id, attempt: 1, analysis: 'first try' }),
          event(2, 'task_retrying', { task_id: second.id, attempt: 1 }),
          event(3, 'task_progress', { task_id: second.id, attempt: 2, analysis: 'second <try>' }),
          event(4, 'task_progress', { task_id: first.id, attempt: 1, analysis: 'done already' }),
          event(5, 'task_progress', { task_id: second.id, attempt: 2, analysis: 'second <try>, longer' }),
        ])
        .execute()
      await db
        .insertInto('task_reviews')
        .values([
          { task_id: first.id, attempt: 1, reviewer_id: owner, reviewer: 'owner', verdict: 'changes', comment: 'More detail' },
          { task_id: first.id, attempt: 2, reviewer_id: null, reviewer: 'gone', verdict: 'approve', comment: null },
        ])
        .execute()
      await db
        .insertInto('consistency_findings')
        .values([
          { session_id: sessionId, rule: 'api-without-tests', severity: 'warning', roles: JSON.stringify(['api_designer', 'test_engineer']), message: 'No test.' },
          { session_id: sessionId, rule: 'table-without-api', severity: 'error', roles: JSON.stringify(['database_architect']), message: 'Unread table.', status: 'resolved', note: 'fine' },
        ])
        .execute()
      await sql`insert into task_budget_reservations (task_id, session_id, team_id, month, amount_usd) values (${second.id}, ${sessionId}, ${team.id}, date_trunc('month', now())::date, 0.3333)`.execute(db)
      forkId = (
        await db
          .insertInto('execution_sessions')
          .values({ team_id: team.id, user_id: owner, feature_name: 'Password reset (fork)', status: 'completed', parent_id: sessionId, forked_from_role: 'api_designer' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id
    })

    afterAll(async () => {
      await handle.close()
    })

    it('reads what the separate reads read, in the same order, to the millisecond', async () => {
      const { db } = handle
      const rows = await readSessionPage(db, owner, sessionId)
      if (!rows) throw new Error('no page')
      const session = await getSession(db, sessionId)
      const tasks = await listTasks(db, sessionId)
      expect(rows.session).toEqual(session as NonNullable<typeof session>)
      expect(rows.role).toBe('owner')
      expect(rows.team).toEqual(await db.selectFrom('teams').selectAll().where('id', '=', rows.session.team_id).executeTakeFirstOrThrow())
      expect(rows.tasks).toEqual(tasks)
      expect(rows.task_decisions).toEqual(await taskDecisionsByTask(db, tasks.map((t) => t.id)))
      expect(rows.decisions).toEqual(await listDecisions(db, sessionId))
      expect(rows.decisions.map((d) => d.source).sort()).toContain('review')
      expect(rows.findings).toEqual(await listFindings(db, sessionId))
      expect(rows.reviews).toEqual(await listSessionReviews(db, sessionId))
      expect(rows.retries).toEqual(await retryTimes(db, sessionId))
      expect(rows.progress.sort((a, b) => a.task_id - b.task_id)).toEqual((await latestProgress(db, sessionId)).sort((a, b) => a.task_id - b.task_id))
      expect(rows.progress.map((p) => p.analysis)).toContain('second <try>, longer')
      expect(rows.lineage).toEqual(await loadLineage(db, rows.session))
      expect(rows.lineage.forks.map((f) => f.id)).toEqual([forkId])
      expect(rows.budget).toEqual(await sessionBudgetStatus(db, sessionId))
      expect(rows.budget.reserved_usd).toBeCloseTo(0.3333, 6)

      const fork = await readSessionPage(db, owner, forkId)
      expect(fork?.lineage).toEqual(await loadLineage(db, (await getSession(db, forkId)) as NonNullable<Awaited<ReturnType<typeof getSession>>>))
      expect(fork?.lineage.parent?.id).toBe(sessionId)
      expect(fork?.tasks).toEqual([])

      const detail = await readSessionDetail(db, owner, sessionId)
      expect(detail).toEqual({ session: session as NonNullable<typeof session>, role: 'owner', tasks, decisions: await listDecisions(db, sessionId) })
    })

    it('gives a member their role, and nothing to a stranger or for a missing session', async () => {
      const { db } = handle
      expect((await readSessionPage(db, viewer, sessionId))?.role).toBe('viewer')
      expect((await readSessionDetail(db, viewer, sessionId))?.role).toBe('viewer')
      expect(await readSessionPage(db, stranger, sessionId)).toBeNull()
      expect(await readSessionDetail(db, stranger, sessionId)).toBeNull()
      expect(await readSessionPage(db, owner, 9_999_999_999)).toBeNull()
      expect(await readSessionDetail(db, owner, 9_999_999_999)).toBeNull()
    })
  })
}

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { testEngines } from '../support/engines.ts'
import { type ApiClient, signUp } from '../support/http.ts'
import { awaitReview, invite, type ReviewStack, sessionEnded, startReviewStack } from './review-support.ts'

setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`POST /api/tasks/:id/review and POST /api/sessions/:id/resume (${engine.name})`, () => {
    let stack: ReviewStack
    let owner: ApiClient
    let member: ApiClient
    let viewer: ApiClient
    let outsider: ApiClient
    let teamId: number

    beforeAll(async () => {
      stack = await startReviewStack(engine)
      const app = stack.web.app
      ;[owner, member, viewer, outsider] = await Promise.all([signUp(app), signUp(app), signUp(app), signUp(app)])
      teamId = (await owner.post('/api/teams', { name: 'Reviewers' })).body.team.id
      await invite(owner, teamId, member, 'member')
      await invite(owner, teamId, viewer, 'viewer')
      await outsider.post('/api/teams', { name: 'Elsewhere' })
    })
    afterAll(async () => {
      await stack?.stop()
    })

    const startSession = async (feature: string, review: unknown = 'all'): Promise<number> => {
      const res = await owner.post('/api/sessions', {
        team_id: teamId,
        feature_name: feature,
        plan: 'sequential',
        agents: ['software_architect', 'backend_developer'],
        review,
      })
      expect(res.status).toBe(201)
      expect(res.body.session.review).toEqual(review)
      return res.body.session.id
    }
    const snapshotOf = async (sid: number) => {
      const res = await owner.get(`/api/sessions/${sid}/tasks`)
      return JSON.stringify(res.body)
    }

    it('refuses bad verdicts in the error shape, changing nothing, then records one verdict', async () => {
      const sid = await startSession('Invoice export')
      const taskId = await awaitReview(owner, sid, 'software_architect')
      const before = await snapshotOf(sid)

      const byViewer = await viewer.post(`/api/tasks/${taskId}/review`, { verdict: 'approve' })
      expect(byViewer.status).toBe(403)
      expect(byViewer.body.error.code).toBeString()
      const byOutsider = await outsider.post(`/api/tasks/${taskId}/review`, { verdict: 'approve' })
      expect(byOutsider.status).toBe(404)
      expect(byOutsider.body.error.message).toBeString()
      const noComment = await member.post(`/api/tasks/${taskId}/review`, { verdict: 'changes' })
      expect(noComment.status).toBe(422)
      expect(JSON.stringify(noComment.body.error.details)).toContain('comment')
      const blank = await member.post(`/api/tasks/${taskId}/review`, { verdict: 'reject', comment: '   ' })
      expect(blank.status).toBe(422)
      const unknown = await member.post(`/api/tasks/${taskId}/review`, { verdict: 'maybe' })
      expect(unknown.status).toBe(422)
      expect(await snapshotOf(sid)).toBe(before)
      expect((await owner.get(`/api/tasks/${taskId}/reviews`)).body).toEqual([])

      const approved = await member.post(`/api/tasks/${taskId}/review`, { verdict: 'approve' })
      expect(approved.status).toBe(200)
      expect(approved.body.task).toMatchObject({ id: taskId, status: 'completed' })
      const again = await owner.post(`/api/tasks/${taskId}/review`, { verdict: 'approve' })
      expect(again.status).toBe(409)
      expect(again.body.error.code).toBeString()

      const reviews = (await viewer.get(`/api/tasks/${taskId}/reviews`)).body
      expect(reviews).toMatchObject([{ task_id: taskId, attempt: 1, verdict: 'approve', reviewer: member.user?.username, comment: null }])
      expect(Object.keys(reviews[0]).sort()).toEqual(['attempt', 'comment', 'created_at', 'id', 'reviewer', 'reviewer_id', 'task_id', 'verdict'])
      expect((await outsider.get(`/api/tasks/${taskId}/reviews`)).status).toBe(404)

      const journal = (await owner.get(`/api/sessions/${sid}/decisions?source=review`)).body
      expect(journal).toHaveLength(1)
      expect(journal[0]).toMatchObject({ source: 'review', author: member.user?.username, agent_role: 'software_architect', task_id: taskId })
    })

    it('rejects with a comment: the session fails; a resume runs the failed and skipped tasks again', async () => {
      const sid = await startSession('Ledger')
      const architectId = await awaitReview(owner, sid, 'software_architect')
      expect((await member.post(`/api/sessions/${sid}/resume`)).status).toBe(409)
      const rejected = await member.post(`/api/tasks/${architectId}/review`, { verdict: 'reject', comment: 'Wrong <b>scope</b>.' })
      expect(rejected.status).toBe(200)
      expect(rejected.body.task.status).toBe('failed')
      expect(await sessionEnded(owner, sid)).toBe('failed')
      const tasks = (await owner.get(`/api/sessions/${sid}/tasks`)).body as Array<{ agent_role: string; status: string }>
      expect(tasks.map((t) => t.status)).toEqual(['failed', 'skipped'])
      const journal = (await owner.get(`/api/sessions/${sid}/decisions?source=review`)).body
      expect(journal[0].rationale).toBe('Wrong <b>scope</b>.')

      expect((await viewer.post(`/api/sessions/${sid}/resume`)).status).toBe(403)
      expect((await outsider.post(`/api/sessions/${sid}/resume`)).status).toBe(404)
      const resumed = await member.post(`/api/sessions/${sid}/resume`)
      expect(resumed.status).toBe(200)
      expect(resumed.body.session).toMatchObject({ id: sid, status: 'active', ended_at: null })
      // Attempt 2 of the architect, reviewed again.
      const again = await awaitReview(owner, sid, 'software_architect', 2)
      expect(again).toBe(architectId)
      expect((await owner.post(`/api/tasks/${architectId}/review`, { verdict: 'approve' })).status).toBe(200)
      const backendId = await awaitReview(owner, sid, 'backend_developer', 1)
      expect((await owner.post(`/api/tasks/${backendId}/review`, { verdict: 'approve' })).status).toBe(200)
      expect(await sessionEnded(owner, sid)).toBe('completed')
      expect((await owner.get(`/api/tasks/${architectId}/reviews`)).body.map((r: { attempt: number; verdict: string }) => [r.attempt, r.verdict])).toEqual([
        [1, 'reject'],
        [2, 'approve'],
      ])
      expect((await owner.post(`/api/sessions/${sid}/resume`)).status).toBe(409)
    })

    it('refuses hostile bodies and bad ids in the error shape, changing nothing', async () => {
      const sid = await startSession('Hostile')
      const taskId = await awaitReview(owner, sid, 'software_architect')
      const before = await snapshotOf(sid)
      const bodies: Array<[string, string]> = [
        ['not json', '{"verdict":'],
        ['an array', '["approve"]'],
        ['an extra key', '{"verdict":"approve","task_id":1}'],
        ['a NUL in the comment', '{"verdict":"changes","comment":"a\\u0000b"}'],
        ['a comment too long', JSON.stringify({ verdict: 'reject', comment: 'x'.repeat(10_001) })],
        ['a number verdict', '{"verdict":1}'],
      ]
      for (const [label, raw] of bodies) {
        const res = await member.call('POST', `/api/tasks/${taskId}/review`, undefined, { raw })
        expect([label, res.status >= 400 && res.status < 500, typeof res.body?.error?.code]).toEqual([label, true, 'string'])
      }
      for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999']) {
        for (const [method, path] of [['POST', `/api/tasks/${id}/review`], ['GET', `/api/tasks/${id}/reviews`], ['POST', `/api/sessions/${id}/resume`], ['GET', `/api/dashboard/teams/${id}/calibration`]] as const) {
          const res = await member.call(method, path, method === 'POST' ? { verdict: 'approve' } : undefined)
          expect([path, res.status >= 400 && res.status < 500, typeof res.body?.error?.code]).toEqual([path, true, 'string'])
        }
      }
      expect(await snapshotOf(sid)).toBe(before)
      expect((await owner.get(`/api/tasks/${taskId}/reviews`)).body).toEqual([])
      // Ends the session so the calibration below counts only the two tests above.
      expect((await owner.post(`/api/sessions/${sid}/cancel`)).status).toBe(200)
    })

    it('calibrates per role from first reviews: bins, approvals and the Brier score', async () => {
      // The two tests above: the architect was approved once and rejected once on a first review; the backend approved once.
      const res = await viewer.get(`/api/dashboard/teams/${teamId}/calibration`)
      expect(res.status).toBe(200)
      const byRole = new Map((res.body as Array<{ agent_role: string; reviewed: number; approved: number; bins: Array<{ reviewed: number }>; brier_score: number }>).map((r) => [r.agent_role, r]))
      expect(byRole.get('software_architect')).toMatchObject({ reviewed: 2, approved: 1 })
      expect(byRole.get('backend_developer')).toMatchObject({ reviewed: 1, approved: 1 })
      for (const role of byRole.values()) {
        expect(role.bins).toHaveLength(5)
        expect(role.bins.reduce((n, b) => n + b.reviewed, 0)).toBe(role.reviewed)
        expect(role.brier_score).toBeGreaterThanOrEqual(0)
        expect(role.brier_score).toBeLessThanOrEqual(1)
      }
      expect((await outsider.get(`/api/dashboard/teams/${teamId}/calibration`)).status).toBe(404)
      const page = await owner.get(`/dashboard?team_id=${teamId}`)
      expect(page.text).toContain('chart-calibration')
      expect(page.text).toContain('approved on first review')
    })
  })
}

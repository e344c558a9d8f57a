import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import Ajv2020 from 'ajv/dist/2020.js'
import { type ApiClient, req, signUp, startTestApp, type TestApp, uniqueName } from '../support/http.ts'
import { seedCompletedSession } from '../document/completed-session.ts'
import { testEngines } from '../support/engines.ts'
import { awaitReview, type ReviewStack, sessionEnded, startReviewStack } from '../review/review-support.ts'

setDefaultTimeout(60_000)

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, any> }>>; components: Record<string, any> }

/** Checks real responses against the served document: the status is one the operation documents, and the body fits its schema. */
function responseChecker(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  // Component schemas refer to each other as `#/components/schemas/X`: resolve those inside the document.
  ajv.addSchema({ $id: 'https://sage.test/openapi', components: doc.components })
  const byId = new Map<string, { path: string; method: string; responses: Record<string, any> }>()
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) byId.set(op.operationId, { path, method, responses: op.responses })
  const checked = new Map<string, Set<string>>()
  return {
    operationIds: (): string[] => [...byId.keys()],
    checked,
    /** Failures as readable lines; none when `res` is exactly what `operationId` documents. */
    async check(operationId: string, res: Response): Promise<string[]> {
      const op = byId.get(operationId)
      if (!op) return [`${operationId}: not in the document`]
      const status = String(res.status)
      const documented = op.responses[status]
      const text = await res.text()
      if (!documented) return [`${operationId}: ${status} is not documented (${text.slice(0, 200)})`]
      const resolved = documented.$ref ? doc.components.responses[documented.$ref.split('/').pop()] : documented
      checked.set(operationId, (checked.get(operationId) ?? new Set()).add(status))
      if (!resolved.content) return text === '' ? [] : [`${operationId}: ${status} documents no body but got ${text.slice(0, 100)}`]
      const media = (res.headers.get('content-type') ?? '').split(';')[0] ?? ''
      const content = resolved.content[media]
      if (!content) return [`${operationId}: ${status} answered ${media}, documented ${Object.keys(resolved.content).join(', ')}`]
      if (media !== 'application/json') return []
      const schema = content.schema.$ref ? { $ref: `https://sage.test/openapi${content.schema.$ref}` } : content.schema
      const validate = ajv.compile(schema)
      if (validate(JSON.parse(text))) return []
      return [`${operationId}: ${status} body does not fit: ${ajv.errorsText(validate.errors)}`]
    },
  }
}

for (const engine of testEngines()) {
  describe(`every JSON route’s real responses fit the documented schema (${engine.name})`, () => {
    let stack: ReviewStack
    let t: TestApp
    let checker: ReturnType<typeof responseChecker>
    let owner: ApiClient
    let member: ApiClient
    let teamId: number
    let sessionId: number
    let doneId: number
    const failures: string[] = []
    // One request, checked; the parsed body when it was JSON.
    async function expectFits(operationId: string, client: ApiClient | null, method: string, path: string, body?: unknown, raw?: string): Promise<any> {
      const headers: Record<string, string> = {}
      if (client?.cookie) headers.cookie = `sage_session=${client.cookie}`
      if (client?.csrf && method !== 'GET') headers['x-csrf-token'] = client.csrf
      if (body !== undefined || raw !== undefined) headers['content-type'] = 'application/json'
      const res = await req(t.app, path, { method, headers, ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}) })
      const copy = res.clone()
      failures.push(...(await checker.check(operationId, res)))
      return copy.headers.get('content-type')?.startsWith('application/json') ? copy.json() : undefined
    }

    beforeAll(async () => {
      // A real actor node behind the app: verdicts and resumes need a supervisor to answer them.
      stack = await startReviewStack(engine)
      t = stack.web
      checker = responseChecker(await (await req(t.app, '/api/docs')).json())
      owner = await signUp(t.app)
      member = await signUp(t.app)
    })
    afterAll(() => stack?.stop())

    it('auth and tokens', async () => {
      const name = uniqueName()
      await expectFits('signUp', null, 'POST', '/api/auth/signup', { username: name, email: `${name}@example.test`, password: 'correct horse battery' })
      await expectFits('signUp', null, 'POST', '/api/auth/signup', { username: name, email: `${name}@example.test`, password: 'correct horse battery' })
      await expectFits('signUp', null, 'POST', '/api/auth/signup', { username: 'x', email: 'nope', password: 'short' })
      await expectFits('logIn', null, 'POST', '/api/auth/login', { username: name, password: 'correct horse battery' })
      await expectFits('logIn', null, 'POST', '/api/auth/login', { username: name, password: 'wrong password!' })
      await expectFits('getCurrentUser', owner, 'GET', '/api/auth/me')
      await expectFits('getCurrentUser', null, 'GET', '/api/auth/me')
      const created = await expectFits('createApiToken', owner, 'POST', '/api/auth/tokens', { name: 'ci' })
      await expectFits('createApiToken', owner, 'POST', '/api/auth/tokens', { name: '' })
      await expectFits('listApiTokens', owner, 'GET', '/api/auth/tokens')
      await expectFits('listApiTokens', null, 'GET', '/api/auth/tokens')
      await expectFits('revokeApiToken', owner, 'DELETE', `/api/auth/tokens/${created.token.id}`)
      await expectFits('revokeApiToken', owner, 'DELETE', `/api/auth/tokens/${created.token.id}`)
      expect(failures.splice(0)).toEqual([])
    })

    it('teams', async () => {
      const { team } = await expectFits('createTeam', owner, 'POST', '/api/teams', { name: 'Checked team', description: 'For the document' })
      teamId = team.id
      await expectFits('createTeam', owner, 'POST', '/api/teams', undefined, '{"name":')
      await expectFits('createTeam', owner, 'POST', '/api/teams', { name: '' })
      await expectFits('listTeams', owner, 'GET', '/api/teams')
      await expectFits('listTeams', null, 'GET', '/api/teams')
      await expectFits('getTeam', owner, 'GET', `/api/teams/${teamId}`)
      await expectFits('getTeam', member, 'GET', `/api/teams/${teamId}`)
      await expectFits('updateTeam', owner, 'PUT', `/api/teams/${teamId}`, { description: 'Updated' })
      await expectFits('inviteMember', owner, 'POST', `/api/teams/${teamId}/invite`, { username: member.user?.username, role: 'member' })
      await expectFits('inviteMember', owner, 'POST', `/api/teams/${teamId}/invite`, { username: member.user?.username, role: 'member' })
      await expectFits('updateTeam', member, 'PUT', `/api/teams/${teamId}`, { description: 'Not mine' })
      const other = await expectFits('createTeam', member, 'POST', '/api/teams', { name: 'Leaving team' })
      await expectFits('inviteMember', member, 'POST', `/api/teams/${other.team.id}/invite`, { username: owner.user?.username, role: 'viewer' })
      await expectFits('removeMember', owner, 'DELETE', `/api/teams/${other.team.id}/members/${owner.user?.id}`)
      await expectFits('removeMember', member, 'DELETE', `/api/teams/${other.team.id}/members/${owner.user?.id}`)
      await expectFits('deleteTeam', member, 'DELETE', `/api/teams/${other.team.id}`)
      await expectFits('deleteTeam', member, 'DELETE', `/api/teams/${other.team.id}`)
      expect(failures.splice(0)).toEqual([])
    })

    it('sessions, tasks and the journal', async () => {
      const { session } = await expectFits('createSession', owner, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'Checked feature', agents: ['software_architect'] })
      sessionId = session.id
      await expectFits('createSession', owner, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'x', agents: ['nobody'] })
      await expectFits('createSession', { ...owner, csrf: null } as ApiClient, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'No CSRF' })
      await expectFits('listSessions', owner, 'GET', `/api/sessions?team_id=${teamId}&limit=1`)
      await expectFits('listSessions', owner, 'GET', '/api/sessions?cursor=bogus')
      await expectFits('getSession', owner, 'GET', `/api/sessions/${sessionId}`)
      await expectFits('getSession', owner, 'GET', '/api/sessions/999999999')
      await expectFits('listSessionTasks', owner, 'GET', `/api/sessions/${sessionId}/tasks`)
      await expectFits('listSessionTasks', owner, 'GET', '/api/sessions/999999999/tasks')
      await expectFits('addDecision', owner, 'POST', `/api/sessions/${sessionId}/decisions`, { decision_text: 'Use tokens', category: 'security', confidence: 'high' })
      await expectFits('addDecision', owner, 'POST', `/api/sessions/${sessionId}/decisions`, { decision_text: 'No category' })
      await expectFits('listSessionDecisions', owner, 'GET', `/api/sessions/${sessionId}/decisions?q=tokens`)
      await expectFits('listSessionDecisions', owner, 'GET', `/api/sessions/${sessionId}/decisions?source=robot`)
      await expectFits('completeSession', owner, 'PUT', `/api/sessions/${sessionId}/complete`)
      await expectFits('completeSession', owner, 'PUT', `/api/sessions/${sessionId}/complete`)
      await expectFits('cancelSession', owner, 'POST', `/api/sessions/${sessionId}/cancel`)
      const second = await expectFits('createSession', owner, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'Cancelled feature' })
      await expectFits('cancelSession', owner, 'POST', `/api/sessions/${second.session.id}/cancel`)
      // A finished session with real outputs, tokens, costs and an agent's snapshot.
      doneId = await seedCompletedSession(t.database.db, { teamId, userId: owner.user?.id as number, featureName: 'Seeded feature', roles: ['software_architect', 'backend_developer'] })
      const tasks = await expectFits('listSessionTasks', owner, 'GET', `/api/sessions/${doneId}/tasks`)
      await expectFits('getSession', owner, 'GET', `/api/sessions/${doneId}`)
      await t.database.db
        .insertInto('agent_snapshots')
        .values({ agent_task_id: tasks[0].id, agent_role: tasks[0].agent_role, context_state: '{"step":1}', capabilities: '["design"]', decisions: '[]', execution_metadata: '{"attempt":1}' })
        .execute()
      await expectFits('getTaskSnapshot', owner, 'GET', `/api/tasks/${tasks[0].id}/snapshot`)
      await expectFits('getTaskSnapshot', owner, 'GET', `/api/tasks/${tasks[1].id}/snapshot`)
      await expectFits('exportSession', owner, 'GET', `/api/sessions/${doneId}/export?format=json`)
      await expectFits('exportSession', owner, 'GET', `/api/sessions/${doneId}/export`)
      await expectFits('exportSession', owner, 'GET', `/api/sessions/${doneId}/export?format=pdf`)
      await expectFits('streamSessionEvents', owner, 'GET', `/api/sessions/${sessionId}/events`)
      await expectFits('streamSessionEvents', owner, 'GET', '/api/sessions/999999999/events')
      await expectFits('searchDecisions', owner, 'GET', `/api/decisions?team_id=${teamId}&limit=1`)
      await expectFits('searchDecisions', owner, 'GET', '/api/decisions?cursor=bogus')
      expect(failures.splice(0)).toEqual([])
    })

    it('review, resume, fork, diff, budgets, findings and calibration', async () => {
      await expectFits('estimateSession', owner, 'POST', '/api/sessions/estimate', { team_id: teamId, feature_name: 'Estimated feature' })
      await expectFits('estimateSession', owner, 'POST', '/api/sessions/estimate', { team_id: 999999999, feature_name: 'Hidden team' })
      await expectFits('updateSessionBudget', owner, 'PUT', `/api/sessions/${doneId}/budget`, { budget_usd: 5 })
      await expectFits('updateSessionBudget', owner, 'PUT', `/api/sessions/${doneId}/budget`, { budget_usd: -1 })
      await expectFits('diffSessions', owner, 'GET', `/api/sessions/${doneId}/diff?against=${doneId}`)
      await expectFits('diffSessions', owner, 'GET', `/api/sessions/${doneId}/diff?against=999999999`)
      await expectFits('forkSession', owner, 'POST', `/api/sessions/${doneId}/fork`, { from_role: 'backend_developer', feedback: 'Use events' })
      await expectFits('forkSession', owner, 'POST', `/api/sessions/${doneId}/fork`, { from_role: 'ui_ux_designer' })
      await expectFits('listSessionFindings', owner, 'GET', `/api/sessions/${doneId}/findings`)
      await expectFits('listSessionFindings', owner, 'GET', '/api/sessions/999999999/findings')
      const finding = await t.database.db
        .insertInto('consistency_findings')
        .values({ session_id: doneId, rule: 'frontend_calls_backend', severity: 'error', roles: JSON.stringify(['frontend_developer', 'backend_developer']), message: 'GET /api/x is not an endpoint' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await expectFits('updateFinding', owner, 'PUT', `/api/findings/${finding.id}`, { status: 'resolved', note: 'Added the endpoint' })
      await expectFits('updateFinding', owner, 'PUT', `/api/findings/${finding.id}`, { status: 'maybe' })
      const reviewed = await expectFits('createSession', owner, 'POST', '/api/sessions', { team_id: teamId, feature_name: 'Reviewed feature', agents: ['software_architect'], review: 'all' })
      const taskId = await awaitReview(owner, reviewed.session.id, 'software_architect')
      await expectFits('reviewTask', owner, 'POST', `/api/tasks/${taskId}/review`, { verdict: 'changes' })
      await expectFits('reviewTask', owner, 'POST', `/api/tasks/${taskId}/review`, { verdict: 'reject', comment: 'Not this design' })
      await expectFits('listTaskReviews', owner, 'GET', `/api/tasks/${taskId}/reviews`)
      await expectFits('listTaskReviews', owner, 'GET', '/api/tasks/999999999/reviews')
      expect(await sessionEnded(owner, reviewed.session.id)).toBe('failed')
      await expectFits('resumeSession', owner, 'POST', `/api/sessions/${reviewed.session.id}/resume`)
      await expectFits('resumeSession', owner, 'POST', `/api/sessions/${reviewed.session.id}/resume`)
      await expectFits('getTeamCalibration', owner, 'GET', `/api/dashboard/teams/${teamId}/calibration`)
      await expectFits('getTeamCalibration', owner, 'GET', '/api/dashboard/teams/999999999/calibration')
      expect(failures.splice(0)).toEqual([])
    })

    it('dashboard', async () => {
      await expectFits('getDashboard', owner, 'GET', '/api/dashboard')
      await expectFits('getDashboard', null, 'GET', '/api/dashboard')
      await expectFits('getTeamStats', owner, 'GET', `/api/dashboard/teams/${teamId}/stats`)
      await expectFits('getTeamStats', owner, 'GET', '/api/dashboard/teams/999999999/stats')
      await expectFits('getTeamRecentDecisions', owner, 'GET', `/api/dashboard/teams/${teamId}/decisions?limit=5`)
      await expectFits('getTeamRecentDecisions', owner, 'GET', `/api/dashboard/teams/${teamId}/decisions?limit=0`)
      await expectFits('getTeamAgentStats', owner, 'GET', `/api/dashboard/teams/${teamId}/agents`)
      await expectFits('getTeamAgentStats', member, 'GET', '/api/dashboard/teams/999999999/agents')
      await expectFits('logOutEverywhere', member, 'DELETE', '/api/auth/sessions')
      await expectFits('logOutEverywhere', member, 'DELETE', '/api/auth/sessions')
      await expectFits('logOut', owner, 'POST', '/api/auth/logout')
      await expectFits('logOut', owner, 'POST', '/api/auth/logout')
      expect(failures.splice(0)).toEqual([])
    })

    it('checked every operation of the document, each with a success and at least one error response', () => {
      const unchecked = checker.operationIds().filter((id) => {
        const statuses = [...(checker.checked.get(id) ?? [])]
        return !statuses.some((s) => s.startsWith('2')) || !statuses.some((s) => Number(s) >= 400)
      })
      expect(unchecked).toEqual([])
      expect(failures.splice(0)).toEqual([])
    })
  })
}

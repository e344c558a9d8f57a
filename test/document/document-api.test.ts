import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { Marked, type Token, type Tokens } from 'marked'
import { z } from 'zod'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import { createApp } from '../../src/http/index.ts'
import { roleLabel } from '../../src/views/format.ts'
import { testEngines } from '../support/engines.ts'
import { ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { seedCompletedSession } from './completed-session.ts'

setDefaultTimeout(60_000)

const iso = z.string().datetime()
const SessionShape = z.strictObject({
  id: z.number(), team_id: z.number(), user_id: z.number(), feature_name: z.string(), description: z.string(),
  plan: z.enum(['dag', 'parallel', 'sequential']), status: z.enum(['active', 'completed', 'failed', 'cancelled']),
  started_at: iso.nullable(), ended_at: iso.nullable(), duration_seconds: z.number().nullable(), created_at: iso,
  parent_id: z.number().nullable(), forked_from_role: z.string().nullable(), review: z.unknown(), budget_usd: z.number().nullable(),
  input_tokens: z.number(), output_tokens: z.number(), cost_usd: z.number(), consistency_score: z.number().nullable(),
  awaiting: z.enum(['review', 'budget']).nullable(),
})
const TaskShape = z.strictObject({
  id: z.number(), session_id: z.number(), agent_role: z.enum(AGENT_ROLES), task_description: z.string().nullable(), input_data: z.unknown(),
  output_data: z.unknown(), status: z.string(), started_at: iso.nullable(), completed_at: iso.nullable(), duration_seconds: z.number().nullable(),
  error_message: z.string().nullable(), retry_count: z.number(), model: z.string().nullable(), input_tokens: z.number(), output_tokens: z.number(),
  cost_usd: z.number().nullable(), confidence: z.number().min(0).max(1).nullable(), reused_from_task_id: z.number().nullable(), created_at: iso,
})
const DecisionShape = z.strictObject({
  id: z.number(), session_id: z.number(), decision_text: z.string(), rationale: z.string().nullable(), category: z.string().nullable(),
  confidence: z.string().nullable(), source: z.enum(['user', 'agent', 'review']), agent_role: z.string().nullable(), task_id: z.number().nullable(),
  author: z.string().nullable(), created_at: iso,
})
const ExportShape = z.strictObject({
  session: SessionShape, tasks: z.array(TaskShape), decisions: z.array(DecisionShape), findings: z.array(z.unknown()).length(0), reviews: z.array(z.unknown()).length(0),
})

for (const engine of testEngines()) {
  describe(`the journal and the design document (${engine.name})`, () => {
    let t: TestApp
    let owner: ApiClient
    let stranger: ApiClient
    let teamId: number
    let otherTeamId: number
    let sessionId: number

    beforeAll(async () => {
      t = await startTestApp({ engine })
      owner = await signUp(t.app)
      stranger = await signUp(t.app)
      teamId = (await owner.post('/api/teams', { name: 'Design team' })).body.team.id
      otherTeamId = (await owner.post('/api/teams', { name: 'Other team' })).body.team.id
      sessionId = await seedCompletedSession(t.database.db, {
        teamId,
        userId: owner.user?.id ?? 0,
        featureName: 'Password reset by email',
        description: 'Users who forgot their password get a one-time link by email.',
        memberDecision: { text: 'Links expire after 30 minutes', category: 'security', confidence: 'high' },
      })
      await seedCompletedSession(t.database.db, { teamId: otherTeamId, userId: owner.user?.id ?? 0, featureName: 'Invoice export', roles: ['software_architect'] })
    })
    afterAll(() => t.close())

    it('lists the agents’ decisions in the journal API with their role, task and rationale, beside the member’s with its author', async () => {
      const res = await owner.get(`/api/sessions/${sessionId}/decisions`)
      expect(res.status).toBe(200)
      const decisions = z.array(DecisionShape).parse(res.body)
      const agent = decisions.filter((d) => d.source === 'agent')
      expect(new Set(agent.map((d) => d.agent_role))).toEqual(new Set(AGENT_ROLES))
      expect(agent.every((d) => d.rationale && d.task_id !== null && d.confidence !== null && d.author === null)).toBe(true)
      const member = decisions.filter((d) => d.source === 'user')
      expect(member).toEqual([expect.objectContaining({ decision_text: 'Links expire after 30 minutes', author: owner.user?.username, agent_role: null })])
      // Oldest first: the agents finished before the member wrote theirs.
      expect(decisions.at(-1)?.source).toBe('user')
      const onlyAgents = await owner.get(`/api/sessions/${sessionId}/decisions?source=agent`)
      expect(onlyAgents.body.length).toBe(agent.length)
      const detail = await owner.get(`/api/sessions/${sessionId}`)
      expect(detail.body.decisions.length).toBe(decisions.length)
      expect((await owner.get(`/api/sessions/${sessionId}/decisions?source=robot`)).status).toBe(422)
    })

    it('shows the agents’ decisions on the session page, each with its role and rationale', async () => {
      const res = await owner.get(`/sessions/${sessionId}`)
      expect(res.status).toBe(200)
      expect(res.text).not.toContain('No decisions recorded yet')
      const journal = res.text.slice(res.text.indexOf('id="journal-list"'))
      const rows = await owner.get(`/api/sessions/${sessionId}/decisions?source=agent`)
      const first = rows.body[0]
      expect(journal).toContain(`id="decision-agent-${first.id}"`)
      expect(journal).toContain(Bun.escapeHTML(first.rationale))
      expect(journal).toContain('Software Architect')
      expect(res.text).toContain(`href="/sessions/${sessionId}/document"`)
    })

    it('serves GET /api/decisions across the caller’s teams in cursor pages, filtered by team and source; 404 for another team', async () => {
      const all: { id: number; source: string; session_id: number }[] = []
      let cursor: string | null = null
      let pages = 0
      do {
        const res: { status: number; body: { decisions: unknown[]; next_cursor: string | null } } = await owner.get(`/api/decisions?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
        expect(res.status).toBe(200)
        all.push(...z.array(DecisionShape).parse(res.body.decisions))
        cursor = res.body.next_cursor
        pages++
      } while (cursor && pages < 50)
      expect(pages).toBeGreaterThan(1)
      expect(new Set(all.map((d) => `${d.source}:${d.id}`)).size).toBe(all.length)
      const sessions = new Set(all.map((d) => d.session_id))
      expect(sessions.size).toBe(2)
      const oneTeam = await owner.get(`/api/decisions?team_id=${otherTeamId}&limit=100`)
      expect(oneTeam.body.decisions.every((d: { session_id: number }) => d.session_id !== sessionId)).toBe(true)
      const users = await owner.get('/api/decisions?source=user&limit=100')
      expect(users.body.decisions.map((d: { decision_text: string }) => d.decision_text)).toEqual(['Links expire after 30 minutes'])
      expect((await stranger.get('/api/decisions')).body.decisions).toEqual([])
      expect((await stranger.get(`/api/decisions?team_id=${teamId}`)).status).toBe(404)
      expect((await owner.get('/api/decisions?cursor=nope')).status).toBe(422)
    })

    it('gives tasks their cost and confidence, and the session its tokens and cost summed over its tasks', async () => {
      const res = await owner.get(`/api/sessions/${sessionId}`)
      const session = SessionShape.parse(res.body.session)
      const tasks = z.array(TaskShape).parse(res.body.tasks)
      expect(session.input_tokens).toBe(tasks.reduce((s, x) => s + x.input_tokens, 0))
      expect(session.output_tokens).toBe(tasks.reduce((s, x) => s + x.output_tokens, 0))
      expect(session.cost_usd).toBeCloseTo(tasks.reduce((s, x) => s + (x.cost_usd ?? 0), 0), 6)
      expect(tasks.every((x) => typeof x.confidence === 'number')).toBe(true)
      const list = await owner.get(`/api/sessions?team_id=${teamId}`)
      expect(list.body.sessions[0].cost_usd).toBe(session.cost_usd)
      // The dashboard adds the same up, per team and per role.
      const team = await owner.get(`/api/dashboard/teams/${teamId}/stats`)
      expect(team.body).toMatchObject({ input_tokens: session.input_tokens, output_tokens: session.output_tokens })
      expect(team.body.cost_usd).toBeCloseTo(session.cost_usd, 6)
      const backend = team.body.roles.find((r: { agent_role: string }) => r.agent_role === 'backend_developer')
      const backendTask = tasks.find((x) => x.agent_role === 'backend_developer')
      expect(backend).toMatchObject({ input_tokens: backendTask?.input_tokens, output_tokens: backendTask?.output_tokens })
      const agents = await owner.get(`/api/dashboard/teams/${teamId}/agents`)
      expect(agents.body.find((r: { agent_role: string }) => r.agent_role === 'backend_developer').cost_usd).toBeCloseTo(backendTask?.cost_usd ?? -1, 6)
      const page = await owner.get(`/dashboard?team_id=${teamId}`)
      expect(page.text).toContain('Tokens and cost per role')
      expect(page.text).toContain(`$${session.cost_usd.toFixed(4)}`)
    })

    it('exports byte-identical Markdown and JSON on two calls and from a new app instance on the same database', async () => {
      const md1 = await owner.get(`/api/sessions/${sessionId}/export?format=md`)
      const md2 = await owner.get(`/api/sessions/${sessionId}/export?format=md`)
      const json1 = await owner.get(`/api/sessions/${sessionId}/export?format=json`)
      expect(md1.status).toBe(200)
      expect(md1.headers.get('content-type')).toContain('text/markdown')
      expect(md1.headers.get('content-disposition')).toBe(`attachment; filename="session-${sessionId}-password-reset-by-email.md"`)
      expect(json1.headers.get('content-disposition')).toBe(`attachment; filename="session-${sessionId}-password-reset-by-email.json"`)
      expect(md2.text).toBe(md1.text)
      // A restart: a new app over a new connection (PGlite in memory has one: the same handle, a new app).
      const handle = engine.name === 'postgres' ? await engine.open() : t.database
      try {
        const restarted = new ApiClient(createApp({ ...t.deps, db: handle.db }))
        restarted.cookie = owner.cookie
        expect((await restarted.get(`/api/sessions/${sessionId}/export?format=md`)).text).toBe(md1.text)
        expect((await restarted.get(`/api/sessions/${sessionId}/export?format=json`)).text).toBe(json1.text)
      } finally {
        if (handle !== t.database) await handle.close()
      }
    })

    it('exports Markdown a parser reads as the document: a heading per role, GFM tables and the mermaid block', async () => {
      const md = (await owner.get(`/api/sessions/${sessionId}/export?format=md`)).text
      const tokens = new Marked({ gfm: true }).lexer(md)
      const headings = tokens.filter((x): x is Tokens.Heading => x.type === 'heading')
      expect(headings[0]).toMatchObject({ depth: 1, text: 'Design: Password reset by email' })
      const roleHeadings = headings.filter((h) => h.depth === 2).map((h) => h.text)
      expect(roleHeadings).toEqual(['Summary', ...AGENT_ROLES.map((r, i) => `${i + 1}. ${roleLabel(r)}`), 'Decision log', 'Open concerns', 'Consistency findings', 'Tokens and cost'])
      const tables = tokens.filter((x): x is Tokens.Table => x.type === 'table')
      const headers = tables.map((tb) => tb.header.map((h) => h.text).join('|'))
      expect(headers).toContain('Method|Path|Purpose|Status codes')
      expect(headers).toContain('Vulnerability|Severity|Risk|Mitigation')
      expect(headers).toContain('#|Decision|Rationale|Category|Confidence|Who')
      const code = tokens.filter((x: Token): x is Tokens.Code => x.type === 'code')
      const mermaid = code.filter((c) => c.lang === 'mermaid')
      expect(mermaid).toHaveLength(1)
      expect(mermaid[0]?.text).toStartWith('flowchart LR')
      expect(code.some((c) => c.lang === 'sql' && c.text.includes('CREATE TABLE'))).toBe(true)
      const anchors = [...md.matchAll(/<a id="(role-[a-z_]+)"><\/a>/g)].map((m) => m[1])
      expect(anchors).toEqual(AGENT_ROLES.map((r) => `role-${r}`))
    })

    it('exports JSON in API.md’s shapes: {session, tasks, decisions, findings, reviews}', async () => {
      const res = await owner.get(`/api/sessions/${sessionId}/export?format=json`)
      expect(res.headers.get('content-type')).toContain('application/json')
      const doc = ExportShape.parse(res.body)
      expect(doc.tasks.map((x) => x.agent_role)).toEqual([...AGENT_ROLES])
      expect(doc.decisions.some((d) => d.source === 'agent')).toBe(true)
    })

    it('answers another format with 422 in the error shape, and 404 to a stranger', async () => {
      const bad = await owner.get(`/api/sessions/${sessionId}/export?format=pdf`)
      expect(bad.status).toBe(422)
      expect(bad.body.error.code).toBeString()
      expect(bad.body.error.message).toBeString()
      expect((await stranger.get(`/api/sessions/${sessionId}/export?format=md`)).status).toBe(404)
      expect((await stranger.get(`/sessions/${sessionId}/document`)).status).toBe(404)
    })

    it('renders the design document page: every role in plan order, the diagram as SVG, tables and SQL, the log and the cost', async () => {
      const res = await owner.get(`/sessions/${sessionId}/document`)
      expect(res.status).toBe(200)
      const html = res.text
      const positions = AGENT_ROLES.map((r) => html.indexOf(`id="role-${r}"`))
      expect(positions.every((p) => p > 0)).toBe(true)
      expect([...positions].sort((a, b) => a - b)).toEqual(positions)
      expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="flowchart"')
      expect(html).toContain('data-language="sql"')
      expect(html).toContain('>Endpoints</h3>')
      expect(html).toContain('id="decision-log"')
      expect(html).toContain('id="tokens-and-cost"')
      expect(html).toContain(`href="/api/sessions/${sessionId}/export?format=md"`)
      expect(html).not.toContain('json-tree')
      // The simulated provider wrote it: the page says so once, with how to use a real model.
      expect(html.split('id="simulated-banner"').length - 1).toBe(1)
      expect(html).toContain('MODEL_PROVIDER=openai')
    })
  })
}

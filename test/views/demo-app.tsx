/** A tiny Elysia app serving the views with demo data, for browser tests. Not the real routes (src/http/ owns those). */
import { join } from 'node:path'
import { html } from '@elysiajs/html'
import { staticPlugin } from '@elysiajs/static'
import { Elysia } from 'elysia'
import { AGENT_ROLES } from '../../src/agents/index.ts'
import {
  AgentCardFragment,
  DashboardPage,
  DecisionSearchPage,
  ErrorPage,
  HomePage,
  LiveAnnouncement,
  LoginPage,
  ReplayPage,
  SessionPage,
  SessionSummaryFragment,
  SignupPage,
  TaskSnapshotPage,
  TaskStreamFragment,
  TeamPage,
  TeamsPage,
  TimelineFragment,
  roleLabel,
  type TaskView,
} from '../../src/views/index.ts'
import { DAG_PLAN, at } from './fixtures.ts'
import {
  demoCompleted,
  demoCtx,
  demoDecisions,
  demoEvents,
  demoMembers,
  demoRunning,
  demoSession,
  demoTasksMidway,
  demoTasksStart,
  demoTeam,
} from './demo-data.ts'

const enc = new TextEncoder()

/** One SSE frame with one `data:` line per line (STACK.md §2.3). */
function sseFrame(data: string, opts: { id?: string; event?: string } = {}): Uint8Array {
  let frame = ''
  if (opts.id !== undefined) frame += `id: ${opts.id}\n`
  if (opts.event) frame += `event: ${opts.event}\n`
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`
  return enc.encode(`${frame}\n`)
}

/** Same-origin scripts and styles only: no inline script, handler or style attribute may run. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const NOW = at(60)

/** The demo app; `listen(0)` it and `stop(true)` it when done. */
export async function createDemoApp(): Promise<Elysia> {
  const app = new Elysia()
    .use(html())
    .onAfterHandle(({ set }) => {
      set.headers['content-security-policy'] = CSP
    })
    .use(await staticPlugin({ assets: join(import.meta.dir, '../../public'), prefix: '/public' }))
    .get('/', () => <HomePage ctx={demoCtx('/')} teams={[demoTeam]} recent_sessions={[demoSession, { ...demoSession, id: 2, feature_name: 'Audit log export', status: 'completed', duration_seconds: 95 }]} />)
    .get('/signup', () => <SignupPage ctx={{ user: null, csrf_token: null, path: '/signup' }} values={{ username: 'ad', email: 'ada@' }} errors={{ username: 'Use 3–50 characters.', email: 'Enter a valid email address.' }} />)
    .get('/login', () => <LoginPage ctx={{ user: null, csrf_token: null, path: '/login' }} />)
    // A different token here proves a boosted swap updates <body>'s attributes too.
    .get('/teams', () => <TeamsPage ctx={demoCtx('/teams', 'csrf-token-2')} teams={[demoTeam, { ...demoTeam, id: 2, name: 'Research', role: 'viewer', description: null }]} />)
    .get('/teams/1', () => <TeamPage ctx={demoCtx('/teams/1')} team={demoTeam} members={demoMembers} sessions={[demoSession]} />)
    .get('/teams/2', () => <TeamPage ctx={demoCtx('/teams/2')} team={{ ...demoTeam, id: 2, role: 'viewer' }} members={demoMembers} sessions={[]} />)
    .get('/sessions/1', () => (
      <SessionPage plan={DAG_PLAN} ctx={demoCtx('/sessions/1')} team={demoTeam} session={demoSession} tasks={demoTasksStart()} decisions={demoDecisions} now={at(1)} />
    ))
    .get('/sessions/2', () => (
      <SessionPage
        plan={DAG_PLAN}
        ctx={demoCtx('/sessions/2')}
        team={demoTeam}
        session={{ ...demoSession, id: 2, status: 'failed', ended_at: NOW }}
        tasks={demoTasksMidway()}
        decisions={demoDecisions}
        now={NOW}
        streamed={{ 4: 'Reading the backend endpoints…\nThe form needs an email field and a confirmation state.' }}
        retries={[{ task_id: 5, at: at(48) }]}
      />
    ))
    .get('/sessions/1/stream', async function* ({ set }) {
      set.headers['content-type'] = 'text/event-stream; charset=utf-8'
      set.headers['cache-control'] = 'no-store'
      yield enc.encode(': open\n\n')
      // Drive all seven agents to completed, stage by stage, as the session supervisor would.
      const tasks: TaskView[] = demoTasksStart()
      const roles = [...AGENT_ROLES]
      let id = 0
      let t = 1
      const send = async (parts: JSX.Element[]): Promise<Uint8Array> => sseFrame((await Promise.all(parts)).join(''), { id: String(++id) })
      for (let i = 0; i < tasks.length; i++) {
        tasks[i] = demoRunning(i, t)
        yield await send([
          <AgentCardFragment task={tasks[i]!} plan={DAG_PLAN} now={at(t)} />,
          <TaskStreamFragment task_id={i + 1} text={`${roleLabel(roles[i]!)} is reading the feature…`} />,
        ])
        await Bun.sleep(20)
        tasks[i] = demoCompleted(i, t, t + 4)
        t += 4
        yield await send([
          <AgentCardFragment task={tasks[i]!} plan={DAG_PLAN} now={at(t)} />,
          <TimelineFragment session={demoSession} plan={DAG_PLAN} tasks={tasks} now={at(t)} />,
          <SessionSummaryFragment session={demoSession} tasks={tasks} now={at(t)} can_control csrf_token="csrf-token-1" />,
          <LiveAnnouncement message={`${roleLabel(roles[i]!)} completed`} />,
        ])
        await Bun.sleep(20)
      }
      yield sseFrame('finished', { id: String(++id), event: 'done' })
    })
    .get('/sessions/3', () => (
      <SessionPage plan={DAG_PLAN} ctx={demoCtx('/sessions/3')} team={demoTeam} session={{ ...demoSession, id: 3 }} tasks={demoTasksStart()} decisions={[]} now={at(1)} transport="ws" />
    ))
    .ws('/ws/sessions/3', {
      async open(ws) {
        const roles = [...AGENT_ROLES]
        const done = demoCompleted(0, 0, 4)
        const html = await Promise.all([
          <AgentCardFragment task={done} plan={DAG_PLAN} now={at(4)} />,
          <LiveAnnouncement message="Software Architect completed" />,
        ])
        ws.send(html.join(''))
      },
    })
    .get('/sessions/1/replay', () => (
      <ReplayPage plan={DAG_PLAN} ctx={demoCtx('/sessions/1/replay')} team={demoTeam} session={{ ...demoSession, status: 'failed', ended_at: NOW }} tasks={demoTasksMidway()} events={demoEvents()} step={6} now={NOW} />
    ))
    .get('/tasks/1', () => (
      <TaskSnapshotPage
        ctx={demoCtx('/tasks/1')}
        session={demoSession}
        task={demoTasksMidway()[0]!}
        snapshot={{
          id: 1,
          agent_task_id: 1,
          agent_role: 'software_architect',
          context_state: { feature: 'Password reset by email', upstream_outputs: [] },
          capabilities: ['design', 'review', 'document'],
          decisions: [{ text: 'Store only a SHA-256 hash of each reset token', category: 'security' }],
          execution_metadata: { model: 'simulated-1', input_tokens: 812, output_tokens: 402, attempts: 1 },
          created_at: at(18),
        }}
      />
    ))
    .get('/decisions', () => (
      <DecisionSearchPage
        ctx={demoCtx('/decisions')}
        q="token"
        category=""
        categories={['architecture', 'security', 'database']}
        results={[
          { id: 1, source: 'agent', session_id: 1, feature_name: 'Password reset by email', team_name: 'Platform team', decision_text: 'Store only a SHA-256 hash of each reset token', rationale: 'A database leak must not allow resets.', category: 'security', confidence: null, agent_role: 'software_architect', created_at: at(18) },
          { id: 2, source: 'journal', session_id: 1, feature_name: 'Password reset by email', team_name: 'Platform team', decision_text: 'Tokens are single-use', rationale: null, category: 'security', confidence: 'high', agent_role: null, created_at: at(30) },
        ]}
      />
    ))
    .get('/dashboard', () => (
      <DashboardPage
        ctx={demoCtx('/dashboard')}
        stats={{ teams: 2, sessions: { total: 23, active: 1, completed: 17, failed: 3, cancelled: 2 }, tasks: { total: 158, completed: 149, failed: 9 }, decisions: 312, avg_session_seconds: 94 }}
        teams={[demoTeam]}
        team_id={null}
        sessions_per_day={Array.from({ length: 14 }, (_, i) => ({
          day: `2025-01-${String(i + 2).padStart(2, '0')}`,
          completed: (i * 7) % 4,
          failed: i % 5 === 0 ? 1 : 0,
          cancelled: i % 6 === 0 ? 1 : 0,
          active: i === 13 ? 1 : 0,
        }))}
        roles={AGENT_ROLES.map((r, i) => ({ agent_role: r, tasks: 23, completed: 23 - (i % 3), failed: i % 3, success_rate: (23 - (i % 3)) / 23, mean_duration_seconds: 12 + i * 4 }))}
        decision_categories={[
          { label: 'security', count: 61 },
          { label: 'architecture', count: 54 },
          { label: 'database', count: 40 },
          { label: 'frontend', count: 33 },
          { label: 'infrastructure', count: 21 },
        ]}
        confidence_bins={[
          { label: '0–0.2', count: 2 },
          { label: '0.2–0.4', count: 6 },
          { label: '0.4–0.6', count: 19 },
          { label: '0.6–0.8', count: 58 },
          { label: '0.8–1', count: 73 },
        ]}
      />
    ))
    .get('/missing', ({ set }) => {
      set.status = 404
      return <ErrorPage ctx={demoCtx('/missing')} status={404} message="No page lives at this address." request_id="req-123" />
    })
  return app as unknown as Elysia
}

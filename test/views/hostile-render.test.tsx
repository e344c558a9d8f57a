import { describe, expect, it } from 'bun:test'
import {
  AgentCardFragment,
  DashboardPage,
  DecisionForm,
  DecisionResults,
  DecisionSearchPage,
  ErrorFragment,
  ErrorPage,
  HomePage,
  InviteForm,
  JournalListFragment,
  LiveAnnouncement,
  LoginPage,
  ReplayPage,
  SessionPage,
  SessionSummaryFragment,
  SignupPage,
  StartSessionForm,
  TaskSnapshotPage,
  TaskStreamFragment,
  TeamPage,
  TeamsPage,
  TimelineFragment,
} from '../../src/views/index.ts'
import { type Dataset, dataset } from './fixtures.ts'
import { findActiveContent, withoutAttributeValues } from './inert-html.ts'

const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)']
// One string that holds all three attacks, so every field is tested against each.
const ATTACK = `${HOSTILE[2]}${HOSTILE[0]}${HOSTILE[1]}'<svg onload=alert(1)>`

function renders(d: Dataset): Record<string, () => JSX.Element> {
  const s = ATTACK
  const errors = { username: s, email: s, password: s, _form: s, name: s, decision_text: s, category: s, feature_name: s, agents: s }
  const values = { username: s, email: s, name: s, description: s, decision_text: s, category: s, confidence: s, feature_name: s, plan: s, agents: [s], role: s, is_shared: s }
  const searchResults = [
    { id: 1, source: 'agent' as const, session_id: 1, feature_name: s, team_name: s, decision_text: `${s} and ${s}`, rationale: s, category: s, confidence: s, agent_role: s, created_at: d.now },
    { id: 2, source: 'journal' as const, session_id: 1, feature_name: s, team_name: s, decision_text: s, rationale: null, category: null, confidence: null, agent_role: null, created_at: d.now },
  ]
  const roles = d.tasks.map((t) => ({ agent_role: t.agent_role, tasks: 3, completed: 2, failed: 1, success_rate: 0.66, mean_duration_seconds: 12 }))
  return {
    signup: () => <SignupPage ctx={d.ctx} values={values} errors={errors} />,
    login: () => <LoginPage ctx={{ ...d.ctx, user: null }} values={values} errors={errors} next={s} />,
    'home (logged in)': () => <HomePage ctx={d.ctx} teams={[d.team]} recent_sessions={[d.session]} />,
    'home (logged out)': () => <HomePage ctx={{ ...d.ctx, user: null }} teams={[]} recent_sessions={[]} />,
    teams: () => <TeamsPage ctx={d.ctx} teams={[d.team, { ...d.team, role: 'viewer', description: null }]} values={values} errors={errors} />,
    'team (owner)': () => (
      <TeamPage ctx={d.ctx} team={d.team} members={d.members} sessions={[d.session]} start_form={{ values, errors }} invite_form={{ values, errors }} />
    ),
    'team (viewer)': () => <TeamPage ctx={d.ctx} team={{ ...d.team, role: 'viewer' }} members={d.members} sessions={[]} />,
    'live session (sse)': () => (
      <SessionPage
        ctx={d.ctx}
        team={d.team}
        session={d.session}
        plan={d.plan}
        tasks={d.tasks}
        decisions={d.decisions}
        now={d.now}
        streamed={{ 4: s }}
        retries={[{ task_id: 3, at: d.now }]}
        decision_form={{ values, errors }}
      />
    ),
    'live session (ws, ended)': () => (
      <SessionPage ctx={d.ctx} team={d.team} session={{ ...d.session, status: 'failed', ended_at: d.now }} plan={d.plan} tasks={d.tasks} decisions={[]} now={d.now} transport="ws" />
    ),
    replay: () => <ReplayPage ctx={d.ctx} team={d.team} session={d.session} plan={d.plan} tasks={d.tasks} events={d.events} step={2} now={d.now} />,
    'replay (empty)': () => <ReplayPage ctx={d.ctx} team={d.team} session={d.session} plan={d.plan} tasks={[]} events={[]} step={0} now={d.now} />,
    'task snapshot': () => <TaskSnapshotPage ctx={d.ctx} session={d.session} task={d.tasks[2]!} snapshot={d.snapshot} />,
    'task snapshot (none)': () => <TaskSnapshotPage ctx={d.ctx} session={d.session} task={d.tasks[0]!} snapshot={null} />,
    'decision search': () => <DecisionSearchPage ctx={d.ctx} q={s} category={s} categories={[s, 'security']} results={searchResults} />,
    dashboard: () => (
      <DashboardPage
        ctx={d.ctx}
        stats={{ teams: 2, sessions: { total: 5, active: 1, completed: 2, failed: 1, cancelled: 1 }, tasks: { total: 30, completed: 25, failed: 5 }, decisions: 40, avg_session_seconds: 95 }}
        teams={[d.team]}
        team_id={1}
        sessions_per_day={[{ day: '2025-01-14', active: 0, completed: 1, failed: 1, cancelled: 0 }, { day: '2025-01-15', active: 1, completed: 1, failed: 0, cancelled: 1 }]}
        roles={roles}
        decision_categories={[{ label: s, count: 3 }, { label: 'security', count: 5 }]}
        confidence_bins={[{ label: s, count: 2 }, { label: 'high', count: 4 }]}
      />
    ),
    'error page': () => <ErrorPage ctx={d.ctx} status={404} message={s} request_id={s} />,
    'error fragment': () => <ErrorFragment status={500} message={s} />,
    ...Object.fromEntries(
      d.tasks.map((t) => [
        `agent card fragment (${t.status}, ${t.id})`,
        () => <AgentCardFragment task={t} plan={d.plan} now={d.now} streamed_text={s} />,
      ]),
    ),
    'task stream fragment': () => <TaskStreamFragment task_id={4} text={s} />,
    'timeline fragment': () => <TimelineFragment session={d.session} plan={d.plan} tasks={d.tasks} now={d.now} retries={[{ task_id: 3, at: d.now }]} cursor_at={d.now} />,
    'session summary fragment': () => <SessionSummaryFragment session={d.session} tasks={d.tasks} now={d.now} can_control csrf_token={s} />,
    'journal list fragment': () => <JournalListFragment decisions={d.decisions} />,
    'live announcement': () => <LiveAnnouncement message={s} />,
    'decision form': () => <DecisionForm session_id={1} csrf_token={s} values={values} errors={errors} />,
    'invite form': () => <InviteForm team_id={1} csrf_token={s} values={values} errors={errors} />,
    'start-session form': () => <StartSessionForm team_id={1} csrf_token={s} values={values} errors={errors} />,
    'decision results': () => <DecisionResults q={s} results={searchResults} />,
  }
}

describe('every page and fragment renders hostile values inert', () => {
  const d = dataset(ATTACK)
  for (const [name, render] of Object.entries(renders(d))) {
    it(`${name}: no script, no handler, no javascript: URL`, async () => {
      const html = await render()
      // The attack text is there, so the fields really were rendered.
      expect(html).toContain('alert(1)')
      expect(await findActiveContent(html, ATTACK)).toEqual([])
      // Inside a quoted attribute `<` is plain text to the HTML parser; everywhere else it must be escaped.
      const markup = await withoutAttributeValues(html)
      expect(markup).not.toContain('<script>alert')
      expect(markup).not.toContain('<img')
      expect(markup).not.toContain('<svg onload')
      expect(markup).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i)
    })
  }
})

describe('the inertness check itself', () => {
  it('flags a raw script, a handler and a javascript: href', async () => {
    const problems = await findActiveContent('<p><script>x</script><b onclick="x">b</b><a href=" javascript:x">a</a></p>', 'zz')
    expect(problems).toHaveLength(3)
  })

  it('flags attacker text inside an htmx attribute', async () => {
    expect(await findActiveContent('<div hx-get="/x?zz">', 'zz')).toHaveLength(1)
  })
})

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { appendEvents, type NewSessionEvent } from '../../src/events/index.ts'
import { foldEventLog } from '../../src/views/pages/replay.view.tsx'
import type { SessionEventView } from '../../src/views/index.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'
import { PageClient } from './page-client.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

/** A two-agent session of a new user's team with a recorded log: started, the architect's run with three progress reports, completed. */
async function finishedSession(): Promise<{ owner: ApiClient; id: number; events: number }> {
  const owner = await signUp(t.app)
  const team = await owner.post('/api/teams', { name: 'Replay team' })
  const started = await owner.post('/api/sessions', { team_id: team.body.team.id, feature_name: 'Replayed feature', agents: ['software_architect', 'backend_developer'] })
  const id = started.body.session.id as number
  const tasks = await t.deps.db.selectFrom('agent_tasks').select(['id']).where('session_id', '=', id).orderBy('id').execute()
  const architect = tasks[0]?.id ?? 0
  const ref = { task_id: architect, agent_role: 'software_architect', attempt: 1 }
  const log: NewSessionEvent[] = [
    { type: 'session_started', data: { feature_name: 'Replayed feature', plan: 'dag', tasks: [] } },
    { type: 'task_started', data: ref },
    ...[1, 2, 3].map((n): NewSessionEvent => ({ type: 'task_progress', data: { ...ref, analysis: `Part ${n}`, chars: n * 10 } })),
    { type: 'task_completed', data: ref },
  ]
  for (const e of log) await t.deps.db.transaction().execute((trx) => appendEvents(trx, id, [e]))
  return { owner, id, events: log.length }
}

function event(id: number, type: SessionEventView['type'], taskId: number): SessionEventView {
  return { id: String(id), session_id: 1, type, at: new Date(0).toISOString(), data: { task_id: taskId, agent_role: 'backend_developer', attempt: 1, analysis: '', chars: 0 } } as SessionEventView
}

describe('foldEventLog', () => {
  it("folds one agent's consecutive progress reports into one line, keeping the run's first and last index", () => {
    const lines = foldEventLog([
      event(1, 'task_started', 7),
      event(2, 'task_progress', 7),
      event(3, 'task_progress', 7),
      event(4, 'task_progress', 8),
      event(5, 'task_progress', 7),
      event(6, 'task_completed', 7),
    ])
    expect(lines.map((l) => [l.first, l.last, l.event.type])).toEqual([
      [0, 0, 'task_started'],
      [1, 2, 'task_progress'],
      [3, 3, 'task_progress'],
      [4, 4, 'task_progress'],
      [5, 5, 'task_completed'],
    ])
  })
})

describe('/sessions/:id/replay', () => {
  it('opens at the first event with a Play link and no polling', async () => {
    const { owner, id, events } = await finishedSession()
    const page = await new PageClient(t.app, owner).get(`/sessions/${id}/replay`)
    expect(page.status).toBe(200)
    expect(page.html).toContain(`Event 1 of ${events}`)
    expect(page.html).toContain(`href="/sessions/${id}/replay?step=1&play=1"`)
    expect(page.html).not.toContain('hx-trigger="every 1s"')
    expect(page.html).not.toContain('http-equiv="refresh"')
  })

  it('plays: polls the next event every second with htmx, and refreshes to it without JavaScript', async () => {
    const { owner, id } = await finishedSession()
    const page = await new PageClient(t.app, owner).get(`/sessions/${id}/replay?step=2&play=1`)
    expect(page.html).toContain('Event 3 of')
    expect(page.html).toContain(`hx-get="/sessions/${id}/replay?step=3&play=1"`)
    expect(page.html).toContain('hx-trigger="every 1s"')
    expect(page.html).toContain(`<noscript><meta http-equiv="refresh" content="1;url=/sessions/${id}/replay?step=3&play=1"/></noscript>`)
    expect(page.html).toContain(`href="/sessions/${id}/replay?step=2"`) // Pause stays on this event
    expect(page.html).toContain('>Pause<')
  })

  it('stops playing at the last event and offers to play again from the start', async () => {
    const { owner, id, events } = await finishedSession()
    const page = await new PageClient(t.app, owner).get(`/sessions/${id}/replay?step=${events - 1}&play=1`)
    expect(page.html).toContain(`Event ${events} of ${events}`)
    expect(page.html).not.toContain('hx-trigger="every 1s"')
    expect(page.html).toContain('Play again')
    expect(page.html).toContain(`href="/sessions/${id}/replay?step=0&play=1"`)
  })
})

describe('/sessions/:id without JavaScript', () => {
  it('refreshes itself every 5 s while the session is active, and not once it ended', async () => {
    const owner = await signUp(t.app)
    const team = await owner.post('/api/teams', { name: 'No-JS team' })
    const started = await owner.post('/api/sessions', { team_id: team.body.team.id, feature_name: 'Watched without JS', agents: ['software_architect'] })
    const id = started.body.session.id as number
    const page = new PageClient(t.app, owner)
    expect((await page.get(`/sessions/${id}`)).html).toContain('<noscript><meta http-equiv="refresh" content="5"/></noscript>')
    await owner.post(`/api/sessions/${id}/cancel`)
    expect((await page.get(`/sessions/${id}`)).html).not.toContain('http-equiv="refresh"')
  })
})

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { appendEvents, type NewSessionEvent, type SessionEvent } from '../../src/events/index.ts'
import { createLiveRenderer } from '../../src/http/index.ts'
import { agentCardId } from '../../src/views/index.ts'
import { type ApiClient, signUp, startTestApp, type TestApp } from '../support/http.ts'

setDefaultTimeout(60_000)

let t: TestApp
let owner: ApiClient

beforeAll(async () => {
  t = await startTestApp()
  owner = await signUp(t.app)
})
afterAll(() => t.close())

/** A three-agent session; returns its id and task ids in plan order. */
async function newSession(): Promise<{ id: number; tasks: number[] }> {
  const team = await owner.post('/api/teams', { name: 'Live update team' })
  const res = await owner.post('/api/sessions', {
    team_id: team.body.team.id,
    feature_name: 'Typed events',
    agents: ['software_architect', 'backend_developer', 'security_specialist'],
  })
  const id = res.body.session.id as number
  const rows = await t.deps.db.selectFrom('agent_tasks').select('id').where('session_id', '=', id).orderBy('id').execute()
  return { id, tasks: rows.map((r) => r.id) }
}

async function append(sessionId: number, event: NewSessionEvent): Promise<SessionEvent> {
  const [stored] = await t.deps.db.transaction().execute((trx) => appendEvents(trx, sessionId, [event]))
  if (!stored) throw new Error('not appended')
  return stored
}

/** The ids of the agent cards a rendered fragment replaces. */
function cardIds(html: string, tasks: number[]): number[] {
  return tasks.filter((id) => html.includes(`id="${agentCardId(id)}"`))
}

describe('the live page’s update for a typed event', () => {
  it('re-renders the failed task’s card and the cards of the tasks its failure skipped, as the supervisor lists them', async () => {
    const s = await newSession()
    const [architect = 0, backend = 0, security = 0] = s.tasks
    await t.deps.db.updateTable('agent_tasks').set({ status: 'failed', completed_at: sql`now()` }).where('id', '=', architect).execute()
    await t.deps.db.updateTable('agent_tasks').set({ status: 'skipped' }).where('id', 'in', [backend, security]).execute()
    const event = await append(s.id, {
      type: 'task_failed',
      data: {
        task_id: architect,
        agent_role: 'software_architect',
        attempt: 1,
        error: 'boom',
        skipped_tasks: [
          { task_id: backend, agent_role: 'backend_developer' },
          { task_id: security, agent_role: 'security_specialist' },
        ],
      },
    })
    const html = await createLiveRenderer({ db: t.deps.db, clock: () => new Date() }).render(event, { can_control: true })
    expect(cardIds(html, s.tasks)).toEqual([architect, backend, security])
    expect(html).toContain('Software Architect failed.')
  })

  it('re-renders only the task an event names when nothing ended beside it', async () => {
    const s = await newSession()
    const [architect = 0] = s.tasks
    await t.deps.db.updateTable('agent_tasks').set({ status: 'running', started_at: sql`now()` }).where('id', '=', architect).execute()
    const event = await append(s.id, { type: 'task_started', data: { task_id: architect, agent_role: 'software_architect', attempt: 1 } })
    const html = await createLiveRenderer({ db: t.deps.db, clock: () => new Date() }).render(event, { can_control: true })
    expect(cardIds(html, s.tasks)).toEqual([architect])
    expect(html).toContain('Software Architect started.')
  })
})

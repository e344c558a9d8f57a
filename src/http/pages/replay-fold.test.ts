import { describe, expect, it } from 'bun:test'
import type { EventData } from '../../events/index.ts'
import type { SessionEventView, SessionView, TaskView } from '../../views/index.ts'
import { foldReplay } from './replay-fold.ts'

const T0 = '2025-01-15T12:00:00.000Z'
const at = (s: number): string => new Date(Date.parse(T0) + s * 1000).toISOString()

const session: SessionView = {
  id: 1, team_id: 1, user_id: 1, feature_name: 'F', description: '', plan: 'dag', status: 'failed',
  started_at: T0, ended_at: at(30), duration_seconds: 30, created_at: T0,
}

function task(id: number, role: string, status: TaskView['status']): TaskView {
  return {
    id, session_id: 1, agent_role: role, task_description: null, input_data: null, output_data: { analysis: `${role} output` },
    status, started_at: at(1), completed_at: at(9), duration_seconds: 8, error_message: status === 'failed' ? 'boom' : null,
    retry_count: status === 'failed' ? 1 : 0, model: 'sim', input_tokens: 10, output_tokens: 5, created_at: T0, decisions: [],
  }
}

const tasks = [task(1, 'software_architect', 'completed'), task(2, 'backend_developer', 'failed'), task(3, 'security_specialist', 'skipped')]

function ev<T extends SessionEventView['type']>(id: number, type: T, s: number, data: EventData<T>): SessionEventView {
  return { id: String(id), session_id: 1, type, at: at(s), data } as SessionEventView
}

const events: SessionEventView[] = [
  ev(1, 'session_started', 0, { feature_name: 'f', plan: 'dag', tasks: [] }),
  ev(2, 'task_started', 1, { task_id: 1, agent_role: 'software_architect', attempt: 1 }),
  ev(3, 'task_completed', 9, { task_id: 1, agent_role: 'software_architect', attempt: 1 }),
  ev(4, 'task_started', 10, { task_id: 2, agent_role: 'backend_developer', attempt: 1 }),
  ev(5, 'task_retrying', 12, { task_id: 2, agent_role: 'backend_developer', failed_attempt: 1, next_attempt: 2, retry_at: at(13), error: 'first' }),
  ev(6, 'task_started', 14, { task_id: 2, agent_role: 'backend_developer', attempt: 2 }),
  // As the supervisor writes it: the tasks the failure skipped ride on its event.
  ev(7, 'task_failed', 20, { task_id: 2, agent_role: 'backend_developer', attempt: 2, error: 'boom', skipped_tasks: [{ task_id: 3, agent_role: 'security_specialist' }] }),
  ev(8, 'session_failed', 30, { status: 'failed', duration_seconds: 30, tasks: [] }),
]

describe('foldReplay', () => {
  it('shows every task pending and the session active right after it started', () => {
    const r = foldReplay(session, tasks, events, 0)
    expect(r.session.status).toBe('active')
    expect(r.session.ended_at).toBeNull()
    expect(r.tasks.map((t) => t.status)).toEqual(['pending', 'pending', 'pending'])
    expect(r.tasks[0]?.output_data).toBeNull()
  })

  it('shows a completed task with its output and a running one without', () => {
    const r = foldReplay(session, tasks, events, 3)
    expect(r.tasks[0]).toMatchObject({ status: 'completed', started_at: at(1), completed_at: at(9), duration_seconds: 8 })
    expect(r.tasks[0]?.output_data).toEqual({ analysis: 'software_architect output' })
    expect(r.tasks[1]).toMatchObject({ status: 'running', started_at: at(10), input_tokens: 0 })
  })

  it('shows a retry as a pending task with its error, then the second attempt running', () => {
    expect(foldReplay(session, tasks, events, 4).tasks[1]).toMatchObject({ status: 'pending', error_message: 'first', retry_count: 1 })
    expect(foldReplay(session, tasks, events, 5).tasks[1]).toMatchObject({ status: 'running', retry_count: 1, error_message: null })
  })

  it('ends with the failure, the skipped dependant and the ended session', () => {
    const r = foldReplay(session, tasks, events, 99)
    expect(r.tasks.map((t) => t.status)).toEqual(['completed', 'failed', 'skipped'])
    expect(r.tasks[1]?.error_message).toBe('boom')
    expect(r.session).toMatchObject({ status: 'failed', ended_at: at(30), duration_seconds: 30 })
  })
})

import { describe, expect, it } from 'bun:test'
import { calibrate } from '../../src/dashboard/index.ts'
import { buildPlanGraph, superviseStep, type SupervisorState } from '../../src/orchestration/index.ts'
import { reviewReason } from '../../src/orchestration/review-gate.ts'
import { resumeState } from '../../src/orchestration/review-resume.ts'
import { listRoles } from '../../src/agents/index.ts'

const POLICY = { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 100 }

function state(statuses: Array<[string, SupervisorState['tasks'][number]['status'], number]>, status: SupervisorState['status'] = 'active'): SupervisorState {
  const tasks = statuses.map(([role, s, attempt], i) => ({ role: role as never, taskId: i + 1, status: s, attempt, waitingRetry: false }))
  const awaiting = tasks.some((t) => t.status === 'awaiting_review') ? ('review' as const) : null
  return { sessionId: 1, status, awaiting, tasks, graph: buildPlanGraph('sequential', tasks.map((t) => t.role), listRoles()) }
}

describe('review gate', () => {
  it('gates by role first, then by a confidence under the threshold', () => {
    expect(reviewReason({ review: 'all', review_below_confidence: null }, 'backend_developer', 0.9)).toBe('role')
    expect(reviewReason({ review: ['backend_developer'], review_below_confidence: 0.95 }, 'backend_developer', 0.5)).toBe('role')
    expect(reviewReason({ review: ['backend_developer'], review_below_confidence: 0.6 }, 'software_architect', 0.5)).toBe('confidence')
    expect(reviewReason({ review: 'none', review_below_confidence: 0.6 }, 'software_architect', 0.6)).toBeNull()
    expect(reviewReason({ review: 'none', review_below_confidence: null }, 'software_architect', 0.1)).toBeNull()
  })
})

describe('superviseStep with verdicts', () => {
  const waiting = () => state([['software_architect', 'awaiting_review', 1], ['backend_developer', 'pending', 0]])

  it('holds the dependants of a task awaiting review and does not end the session', () => {
    const step = superviseStep(state([['software_architect', 'running', 1], ['backend_developer', 'pending', 0]]), { type: 'task_succeeded', role: 'software_architect', attempt: 1, review: true }, POLICY)
    expect(step.state.tasks.map((t) => t.status)).toEqual(['awaiting_review', 'pending'])
    expect(step.commands.map((c) => c.type)).toEqual(['task_completed', 'session_awaiting'])
    expect(step.state.awaiting).toBe('review')
  })

  it('approve completes the task and starts its dependants', () => {
    const step = superviseStep(waiting(), { type: 'review', role: 'software_architect', attempt: 1, verdict: 'approve', comment: null }, POLICY)
    expect(step.commands.map((c) => c.type)).toEqual(['task_approved', 'run_task', 'session_awaiting'])
    expect(step.state.tasks.map((t) => t.status)).toEqual(['completed', 'running'])
  })

  it('changes runs the next attempt with a fresh retry budget', () => {
    const step = superviseStep(waiting(), { type: 'review', role: 'software_architect', attempt: 1, verdict: 'changes', comment: 'x' }, POLICY)
    expect(step.commands[0]).toMatchObject({ type: 'run_task', role: 'software_architect', attempt: 2 })
    // Its attempt 2 fails: it is retried (the retries count from this run), not failed.
    const failed = superviseStep(step.state, { type: 'task_failed', role: 'software_architect', attempt: 2, error: 'e', retryable: true }, POLICY)
    expect(failed.commands[0]).toMatchObject({ type: 'schedule_retry', attempt: 2 })
  })

  it('reject fails the task, skips its dependants and fails the session', () => {
    const step = superviseStep(waiting(), { type: 'review', role: 'software_architect', attempt: 1, verdict: 'reject', comment: 'no' }, POLICY)
    expect(step.commands.map((c) => c.type)).toEqual(['task_failed', 'tasks_ended', 'session_ended', 'session_awaiting'])
    expect(step.state.status).toBe('failed')
  })

  it('ignores a verdict on an attempt that is not awaiting review', () => {
    expect(superviseStep(waiting(), { type: 'review', role: 'software_architect', attempt: 2, verdict: 'approve', comment: null }, POLICY).ignored).toBe('stale')
    expect(superviseStep(waiting(), { type: 'review', role: 'backend_developer', attempt: 1, verdict: 'approve', comment: null }, POLICY).ignored).toBe('stale')
  })
})

describe('resumeState', () => {
  it('resets what did not complete and continues the attempt count', () => {
    const resumed = resumeState(state([['software_architect', 'completed', 1], ['backend_developer', 'failed', 3], ['it_administrator', 'skipped', 0]], 'failed'))
    expect(resumed?.reset.map((t) => [t.role, t.attempt])).toEqual([
      ['backend_developer', 3],
      ['it_administrator', 0],
    ])
    const step = superviseStep(resumed?.state as SupervisorState, { type: 'start' }, POLICY)
    expect(step.commands).toEqual([{ type: 'run_task', role: 'backend_developer', taskId: 2, attempt: 4 }])
  })

  it('refuses an active or completed session', () => {
    expect(resumeState(state([['software_architect', 'running', 1]]))).toBeNull()
    expect(resumeState(state([['software_architect', 'completed', 1]], 'completed'))).toBeNull()
  })
})

describe('calibrate', () => {
  it('bins first reviews per role and scores them', () => {
    const roles = calibrate([
      { agent_role: 'software_architect', confidence: 0.9, approved: true },
      { agent_role: 'software_architect', confidence: 0.7, approved: false },
      { agent_role: 'software_architect', confidence: 1, approved: true },
    ])
    expect(roles).toHaveLength(1)
    const [architect] = roles
    expect(architect?.bins.map((b) => [b.reviewed, b.approved])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
      [1, 0],
      [2, 2],
    ])
    // ((0.1)² + (0.7)² + 0²) / 3
    expect(architect?.brier_score).toBeCloseTo(0.1667, 4)
  })
})

import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES, type AgentRole, listRoles } from '../agents/index.ts'
import { buildPlanGraph, planStages, type RoleDependencies } from './plan.ts'
import {
  awaitingOf,
  type SupervisionPolicy,
  type SupervisorCommand,
  type SupervisorInput,
  type SupervisorState,
  superviseStep,
} from './supervisor-state.ts'

/** The real role definitions (each role file's `dependsOn`). */
const ROLES: RoleDependencies[] = listRoles()
const policy: SupervisionPolicy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 }

function session(plan: 'dag' | 'parallel' | 'sequential', roles: readonly AgentRole[] = AGENT_ROLES): SupervisorState {
  return {
    sessionId: 1,
    status: 'active',
    graph: buildPlanGraph(plan, roles, ROLES),
    tasks: roles.map((role, i) => ({ role, taskId: 100 + i, status: 'pending', attempt: 0, waitingRetry: false })),
    awaiting: null,
  }
}

/** Feeds inputs in order; returns the final state and every command. */
function run(state: SupervisorState, inputs: SupervisorInput[]): { state: SupervisorState; commands: SupervisorCommand[] } {
  const commands: SupervisorCommand[] = []
  for (const input of inputs) {
    const step = superviseStep(state, input, policy)
    state = step.state
    commands.push(...step.commands)
  }
  return { state, commands }
}

const started = (commands: SupervisorCommand[]): string[] =>
  commands.filter((c) => c.type === 'run_task').map((c) => (c as { role: string }).role)
const ok = (role: AgentRole, attempt = 1): SupervisorInput => ({ type: 'task_succeeded', role, attempt })
const bad = (role: AgentRole, attempt = 1): SupervisorInput => ({ type: 'task_failed', role, attempt, error: 'boom', retryable: true })
const statusOf = (state: SupervisorState): Record<string, string> => Object.fromEntries(state.tasks.map((t) => [t.role, t.status]))

describe('plan graphs', () => {
  it('runs the dag in four stages: architect, backend+DBA, frontend+UI/UX, security+IT admin', () => {
    const stages = planStages(buildPlanGraph('dag', AGENT_ROLES, ROLES))
    expect(Object.fromEntries(stages)).toEqual({
      software_architect: 0,
      backend_developer: 1,
      database_administrator: 1,
      frontend_developer: 2,
      ui_ux_designer: 2,
      security_specialist: 3,
      it_administrator: 3,
    })
  })

  it('looks through a role that was not chosen to its own dependencies', () => {
    const graph = buildPlanGraph('dag', ['software_architect', 'frontend_developer'], ROLES)
    expect(graph.get('frontend_developer')).toEqual(['software_architect'])
  })

  it('chains a sequential plan in role order and leaves a parallel plan unchained', () => {
    expect([...buildPlanGraph('sequential', ['database_administrator', 'software_architect'], ROLES)]).toEqual([
      ['software_architect', []],
      ['database_administrator', ['software_architect']],
    ])
    expect([...buildPlanGraph('parallel', AGENT_ROLES, ROLES).values()].every((d) => d.length === 0)).toBe(true)
  })
})

describe('superviseStep', () => {
  it('starts the architect alone, then each stage when its dependencies complete, then completes the session', () => {
    let { state, commands } = run(session('dag'), [{ type: 'start' }])
    expect(started(commands)).toEqual(['software_architect'])
    ;({ state, commands } = run(state, [ok('software_architect')]))
    expect(started(commands)).toEqual(['backend_developer', 'database_administrator'])
    ;({ state, commands } = run(state, [ok('backend_developer')]))
    expect(started(commands)).toEqual([])
    ;({ state, commands } = run(state, [ok('database_administrator')]))
    expect(started(commands)).toEqual(['frontend_developer', 'ui_ux_designer'])
    ;({ state, commands } = run(state, [ok('frontend_developer')]))
    expect(started(commands)).toEqual([])
    ;({ state, commands } = run(state, [ok('ui_ux_designer')]))
    expect(started(commands)).toEqual(['security_specialist', 'it_administrator'])
    ;({ state, commands } = run(state, [ok('security_specialist'), ok('it_administrator')]))
    expect(commands.at(-1)).toEqual({ type: 'session_ended', status: 'completed' })
    expect(state.status).toBe('completed')
  })

  it('starts every role at once in a parallel plan', () => {
    expect(started(run(session('parallel'), [{ type: 'start' }]).commands)).toEqual([...AGENT_ROLES])
  })

  it('retries a failed attempt with exponential backoff, then runs it again', () => {
    const { state, commands } = run(session('dag'), [
      { type: 'start' },
      bad('software_architect', 1),
      { type: 'retry_due', role: 'software_architect', attempt: 1 },
      bad('software_architect', 2),
    ])
    const retries = commands.filter((c) => c.type === 'schedule_retry')
    expect(retries.map((c) => (c as { delayMs: number }).delayMs)).toEqual([100, 200])
    expect(commands.filter((c) => c.type === 'run_task').map((c) => (c as { attempt: number }).attempt)).toEqual([1, 2])
    expect(state.tasks[0]).toMatchObject({ status: 'running', attempt: 2, waitingRetry: true })
  })

  it('fails a task after its last retry, skips what depends on it, finishes the rest and fails the session', () => {
    let { state } = run(session('dag'), [{ type: 'start' }, ok('software_architect')])
    for (let attempt = 1; attempt <= 3; attempt++) {
      ;({ state } = run(state, [bad('backend_developer', attempt), ...(attempt < 3 ? [{ type: 'retry_due', role: 'backend_developer', attempt } as SupervisorInput] : [])]))
    }
    expect(statusOf(state)).toMatchObject({
      backend_developer: 'failed',
      frontend_developer: 'skipped',
      ui_ux_designer: 'skipped',
      security_specialist: 'skipped',
      it_administrator: 'skipped',
      database_administrator: 'running',
    })
    expect(state.status).toBe('active')
    const last = run(state, [ok('database_administrator')])
    expect(last.state.status).toBe('failed')
    expect(last.commands.at(-1)).toEqual({ type: 'session_ended', status: 'failed' })
  })

  it('does not retry a failure marked not retryable', () => {
    const { state, commands } = run(session('parallel', ['software_architect']), [
      { type: 'start' },
      { type: 'task_failed', role: 'software_architect', attempt: 1, error: 'bad key', retryable: false },
    ])
    expect(commands.some((c) => c.type === 'schedule_retry')).toBe(false)
    expect(state.status).toBe('failed')
  })

  it('aborts a timed-out attempt and retries it; the late result of that attempt is ignored', () => {
    let { state, commands } = run(session('parallel', ['software_architect']), [
      { type: 'start' },
      { type: 'task_timed_out', role: 'software_architect', attempt: 1 },
    ])
    expect(commands.map((c) => c.type)).toEqual(['run_task', 'abort_task', 'schedule_retry'])
    const late = superviseStep(state, ok('software_architect', 1), policy)
    expect(late.ignored).toBe('stale')
    ;({ state } = run(state, [{ type: 'retry_due', role: 'software_architect', attempt: 1 }, ok('software_architect', 2)]))
    expect(state.status).toBe('completed')
  })

  it('ignores a duplicate result, so redelivery is harmless', () => {
    const { state } = run(session('parallel', ['software_architect', 'backend_developer']), [{ type: 'start' }, ok('software_architect')])
    expect(superviseStep(state, ok('software_architect'), policy)).toMatchObject({ commands: [], ignored: 'stale' })
  })

  it('cancels: aborts running attempts, cancels unfinished tasks, keeps completed ones', () => {
    const { state, commands } = run(session('dag'), [{ type: 'start' }, ok('software_architect'), { type: 'cancel' }])
    expect(commands.filter((c) => c.type === 'abort_task').map((c) => (c as { role: string }).role)).toEqual([
      'backend_developer',
      'database_administrator',
    ])
    expect(statusOf(state)).toMatchObject({ software_architect: 'completed', backend_developer: 'cancelled', it_administrator: 'cancelled' })
    expect(state.status).toBe('cancelled')
    expect(superviseStep(state, { type: 'complete' }, policy).ignored).toBe('session_ended')
  })

  it('completes early: unfinished tasks are cancelled and the session is completed', () => {
    const { state } = run(session('dag'), [{ type: 'start' }, { type: 'complete' }])
    expect(state.status).toBe('completed')
    expect(state.tasks.every((t) => t.status === 'cancelled')).toBe(true)
  })

  it('does not abort an attempt that is only waiting for its retry when cancelled', () => {
    const { commands } = run(session('parallel', ['software_architect']), [{ type: 'start' }, bad('software_architect'), { type: 'cancel' }])
    expect(commands.some((c) => c.type === 'abort_task')).toBe(false)
  })
})

describe('awaitingOf', () => {
  const tasks = (...statuses: SupervisorState['tasks'][number]['status'][]): SupervisorState['tasks'] =>
    statuses.map((status, i) => ({ role: AGENT_ROLES[i] as AgentRole, taskId: i + 1, status, attempt: 1, waitingRetry: false }))

  it('says review while any task awaits a verdict, budget while any waits for a budget, else nothing', () => {
    expect(awaitingOf(tasks('completed', 'running'))).toBeNull()
    expect(awaitingOf(tasks('completed', 'awaiting_budget'))).toBe('budget')
    expect(awaitingOf(tasks('awaiting_budget', 'awaiting_review'))).toBe('review')
  })

  it('adds no session_awaiting command to steps that leave it unchanged', () => {
    const { commands } = run(session('dag'), [{ type: 'start' }, { type: 'cancel' }])
    expect(commands.some((c) => c.type === 'session_awaiting')).toBe(false)
  })
})

import { describe, expect, it } from 'bun:test'
import { type AgentRole, listRoles } from '../../src/agents/index.ts'
import { applyBudgetDenials, firstStarts } from '../../src/orchestration/budget-gate.ts'
import type { BudgetDenial } from '../../src/orchestration/budget-denial.ts'
import { buildPlanGraph } from '../../src/orchestration/plan.ts'
import { type SupervisionPolicy, type SupervisorState, superviseStep } from '../../src/orchestration/supervisor-state.ts'

const policy: SupervisionPolicy = { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1000 }
const ROLES: AgentRole[] = ['software_architect', 'backend_developer', 'database_administrator']
const denial: BudgetDenial = { scope: 'session', budgetUsd: 1, spentUsd: 0.9, estimateUsd: 0.2 }

function session(): SupervisorState {
  return {
    sessionId: 1,
    status: 'active',
    graph: buildPlanGraph('dag', ROLES, listRoles()),
    tasks: ROLES.map((role, i) => ({ role, taskId: 10 + i, status: 'pending', attempt: 0, waitingRetry: false })),
    awaiting: null,
  }
}

describe('the budget gate (pure half)', () => {
  it('passes a step through when nothing is denied', () => {
    const s = session()
    const step = superviseStep(s, { type: 'start' }, policy)
    expect(firstStarts(step, s)).toEqual([{ role: 'software_architect', taskId: 10 }])
    expect(applyBudgetDenials(s, step, new Map())).toBe(step)
  })

  it('turns a denied start into awaiting_budget with its event, and the session waits', () => {
    const s = session()
    const step = applyBudgetDenials(s, superviseStep(s, { type: 'start' }, policy), new Map([[10, denial]]))
    expect(step.commands).toEqual([
      { type: 'task_awaiting_budget', role: 'software_architect', taskId: 10, attempt: 1, denial },
      { type: 'session_awaiting', awaiting: 'budget' },
    ])
    // Not started: it keeps its last attempt (none yet), as loading its row gives.
    expect(step.state.tasks[0]).toMatchObject({ status: 'awaiting_budget', attempt: 0 })
    expect(step.state.awaiting).toBe('budget')
    expect(step.state.status).toBe('active')
  })

  it('starts part of a stage when only some fit, and wakes the rest when the budget is raised', () => {
    let s = session()
    s = superviseStep(s, { type: 'start' }, policy).state
    const after = superviseStep(s, { type: 'task_succeeded', role: 'software_architect', attempt: 1 }, policy)
    expect(firstStarts(after, s).map((x) => x.role)).toEqual(['backend_developer', 'database_administrator'])
    const gated = applyBudgetDenials(s, after, new Map([[12, denial]]))
    expect(gated.commands.map((c) => c.type)).toEqual(['task_completed', 'run_task', 'task_awaiting_budget', 'session_awaiting'])
    s = gated.state
    expect(s.tasks.map((t) => t.status)).toEqual(['completed', 'running', 'awaiting_budget'])

    // Raised, but still short: nothing changes and nothing is announced again.
    const raised = superviseStep(s, { type: 'budget_raised' }, policy)
    expect(firstStarts(raised, s)).toEqual([{ role: 'database_administrator', taskId: 12 }])
    const still = applyBudgetDenials(s, raised, new Map([[12, denial]]))
    expect(still).toEqual({ state: s, commands: [], ignored: 'stale' })

    // Raised enough: it starts and the session stops waiting.
    const goes = applyBudgetDenials(s, raised, new Map())
    expect(goes.commands).toEqual([
      { type: 'run_task', role: 'database_administrator', taskId: 12, attempt: 1 },
      { type: 'session_awaiting', awaiting: null },
    ])
    expect(goes.state.awaiting).toBeNull()
  })

  it('ignores a budget raise when nothing waits, and cancels waiting tasks when the session is cancelled', () => {
    const s = session()
    const running = superviseStep(s, { type: 'start' }, policy).state
    expect(superviseStep(running, { type: 'budget_raised' }, policy).ignored).toBe('stale')
    const waiting = applyBudgetDenials(s, superviseStep(s, { type: 'start' }, policy), new Map([[10, denial]])).state
    const cancelled = superviseStep(waiting, { type: 'cancel' }, policy)
    expect(cancelled.state.tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled'])
    expect(cancelled.commands).toContainEqual({ type: 'session_awaiting', awaiting: null })
  })
})

import { describe, expect, it } from 'bun:test'
import { createPriceTable, DEFAULT_PRICES } from '../../src/agents/index.ts'
import { EVENT_DATA } from '../../src/events/index.ts'
import { streamedUsage } from '../../src/orchestration/budget-progress.ts'
import { AgentCard, BudgetPanel, StartEstimate, TaskUsageFragment } from '../../src/views/index.ts'
import { dataset } from '../views/fixtures.ts'
import { MODEL_PRICES } from './support.ts'

describe('live cost on the cards', () => {
  it('estimates the streamed output tokens and their cost, null when the model has no price', () => {
    const priced = streamedUsage({ modelOf: () => 'simulated', prices: createPriceTable(MODEL_PRICES) })
    expect(priced('backend_developer', 4001)).toEqual({ output_tokens: 1001, cost_usd: 0.01001 })
    expect(priced('backend_developer', 0)).toEqual({ output_tokens: 0, cost_usd: 0 })
    const unpriced = streamedUsage({ modelOf: () => 'my-local-llama', prices: DEFAULT_PRICES })
    expect(unpriced('backend_developer', 40)).toEqual({ output_tokens: 10, cost_usd: null })
  })

  it('parses progress events with and without the new usage fields', () => {
    const schema = EVENT_DATA.task_progress
    const old = { task_id: 1, agent_role: 'backend_developer', attempt: 1, analysis: 'x', chars: 10 }
    expect(schema.safeParse(old).success).toBe(true)
    expect(schema.safeParse({ ...old, output_tokens: 3, cost_usd: 0.5 }).success).toBe(true)
    expect(schema.safeParse({ ...old, output_tokens: 3, cost_usd: null }).success).toBe(true)
    expect(schema.safeParse({ ...old, output_tokens: -1 }).success).toBe(false)
  })

  it('renders the usage line into the running card, and "price unknown" for a completed task without a cost', () => {
    const { tasks, plan } = dataset('x')
    const running = { ...tasks.find((t) => t.status === 'running'), status: 'running' as const } as (typeof tasks)[number]
    const card = String(<AgentCard task={running} plan={plan} now="2026-01-01T00:01:00Z" />)
    expect(card).toContain(`id="task-${running.id}-usage"`)
    const usage = String(<TaskUsageFragment task_id={running.id} output_tokens={1500} cost_usd={0.015} />)
    expect(usage).toContain(`hx-target="#task-${running.id}-usage"`)
    expect(usage).toContain('1,500 output tokens')
    expect(usage).toContain('$0.015')
    expect(String(<TaskUsageFragment task_id={1} output_tokens={2} cost_usd={null} />)).toContain('price unknown')
    const done = { ...(tasks.find((t) => t.status === 'completed') as (typeof tasks)[number]), cost_usd: null, model: 'my-local-llama' }
    expect(String(<AgentCard task={done} plan={plan} now="2026-01-01T00:01:00Z" />)).toContain('price unknown')
    expect(String(<AgentCard task={{ ...done, cost_usd: 0.5 }} plan={plan} now="2026-01-01T00:01:00Z" />)).not.toContain('price unknown')
  })

  it('shows the raise form only to an owner of a session waiting for budget, and escapes the estimate’s model names', () => {
    const base = { session_id: 7, status: 'active', budget_usd: 1, spent_usd: 0.5, reserved_usd: 0.25, csrf_token: 't' }
    const waiting = String(<BudgetPanel {...base} awaiting="budget" can_raise />)
    expect(waiting).toContain('Raise budget')
    expect(waiting).toContain('action="/sessions/7/budget"')
    expect(waiting).toContain('$0.25')
    expect(String(<BudgetPanel {...base} awaiting="budget" can_raise={false} />)).not.toContain('Raise budget')
    expect(String(<BudgetPanel {...base} awaiting={null} can_raise />)).not.toContain('Raise budget')
    const estimate = {
      input_tokens: 1,
      output_tokens: 1,
      cost_usd: 0,
      by_role: [{ agent_role: 'backend_developer', model: '<img src=x onerror=alert(1)>', input_tokens: 1, output_tokens: 1, cost_usd: 0, price_known: false, basis: 'default' }],
    }
    const html = String(<StartEstimate team_id={3} estimate={estimate} />)
    expect(html).not.toContain('<img')
    expect(html).toContain('price unknown')
    expect(html).toContain('formaction="/teams/3/estimate"')
  })
})

import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES, createOpenAIProvider, createSimulatedProvider } from '../../src/agents/index.ts'
import { isSimulatedModel, SIMULATED_BANNER_TEXT, SimulatedBanner } from '../../src/views/components/index.ts'
import { SessionPage, TaskSnapshotPage } from '../../src/views/index.ts'
import { dataset } from './fixtures.ts'

const BANNER = 'id="simulated-banner"'
const count = (html: string, part: string): number => html.split(part).length - 1

describe('SimulatedBanner', () => {
  it("recognises what the simulated provider records as a task's model, and nothing else", () => {
    expect(createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }).modelFor('backend_developer')).toBe('simulated')
    const named = createSimulatedProvider({ latencyMs: { min: 0, max: 0 }, model: 'gpt-4o', overrides: { ui_ux_designer: 'claude-sonnet-4-5' } })
    for (const role of AGENT_ROLES) expect(isSimulatedModel(named.modelFor(role))).toBe(true)
    const real = createOpenAIProvider({ baseURL: 'http://127.0.0.1:1/v1', model: 'gpt-4o' })
    expect(isSimulatedModel(real.modelFor('backend_developer'))).toBe(false)
    for (const model of [null, undefined, '', 'gpt-4o', 'simulated-1', 'openai/simulated']) expect(isSimulatedModel(model)).toBe(false)
  })

  it('says plainly that the output is simulated and how to use a real model, only when some model is simulated', () => {
    const html = String(<SimulatedBanner models={[null, 'gpt-4o', 'simulated']} />)
    expect(count(html, BANNER)).toBe(1)
    expect(html).toContain('Simulated output')
    expect(html).toContain('MODEL_PROVIDER=openai')
    expect(html).toContain('MODEL_PROVIDER=anthropic')
    expect(String(<SimulatedBanner models={[null, 'gpt-4o', 'claude-sonnet-4-5']} />)).toBe('')
    expect(String(<SimulatedBanner models={[]} />)).toBe('')
  })

  it('appears once on the session page and on the task snapshot page of simulated work, and not for a real model', () => {
    const d = dataset('x')
    const simulated = d.tasks.map((t) => ({ ...t, model: t.status === 'completed' ? 'simulated' : null }))
    const page = (tasks: typeof d.tasks): string =>
      String(<SessionPage ctx={d.ctx} team={d.team} session={d.session} plan={d.plan} tasks={tasks} decisions={d.decisions} now={d.now} />)
    expect(count(page(simulated), BANNER)).toBe(1)
    expect(page(simulated)).toContain(SIMULATED_BANNER_TEXT.howTo.slice(0, 40))
    expect(count(page(d.tasks.map((t) => ({ ...t, model: 'gpt-4o' }))), BANNER)).toBe(0)
    const snapshot = (model: string): string =>
      String(<TaskSnapshotPage ctx={d.ctx} session={d.session} task={{ ...(d.tasks[0] as (typeof d.tasks)[number]), model }} snapshot={d.snapshot} />)
    expect(count(snapshot('simulated/gpt-4o'), BANNER)).toBe(1)
    expect(count(snapshot('gpt-4o'), BANNER)).toBe(0)
  })
})

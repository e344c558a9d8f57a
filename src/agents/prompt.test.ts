import { describe, expect, it } from 'bun:test'
import type { AgentInput, UpstreamOutput } from './agent-types.ts'
import { buildPrompt, buildRepairMessage, PROMPT_BUDGET } from './prompt.ts'
import { createSimContext } from './providers/sim-context.ts'
import { createRandom } from './providers/sim-random.ts'
import { AGENT_ROLES } from './role-ids.ts'
import { ROLE_DEFINITIONS } from './roles/index.ts'

function upstreamFor(roles: readonly (typeof AGENT_ROLES)[number][], text = 'Invoice export'): UpstreamOutput[] {
  return roles.map((role, i) => ({
    role,
    output: ROLE_DEFINITIONS[role].simulate(
      createSimContext({ role, featureName: text, description: '', decisions: [], upstream: [], attempt: 1 }, createRandom(i + 1)),
    ) as UpstreamOutput['output'],
  }))
}

const base: AgentInput = {
  role: 'backend_developer',
  featureName: 'Invoice export [sim:fail=backend_developer]',
  description: 'Accountants export invoices as CSV.',
  decisions: [{ text: 'Keep CSV columns stable', category: 'api', confidence: 'high', source: 'user' }],
  upstream: upstreamFor(['software_architect']),
  attempt: 1,
}

describe('buildPrompt', () => {
  it('carries the role prompt, the feature, the journal and the upstream decisions', () => {
    const p = buildPrompt(base)
    expect(p.system).toContain(ROLE_DEFINITIONS.backend_developer.prompt)
    expect(p.system).toContain('endpoints: [{ method: "GET" | "POST"')
    expect(p.system).toContain('# Feature: Invoice export')
    expect(p.system).toContain('Accountants export invoices as CSV.')
    expect(p.system).toContain('[api] Keep CSV columns stable (confidence high) — user')
    expect(p.user).toContain('### Software Architect')
    expect(p.user).toContain((base.upstream[0] as UpstreamOutput).output.decisions[0]?.text as string)
    expect(p.context).toMatchObject({ upstreamRoles: ['software_architect'], decisionsIncluded: 1, decisionsOmitted: 0, truncated: false })
  })

  it('removes simulated-provider directives', () => {
    expect(buildPrompt(base).user).not.toContain('[sim:')
    expect(buildPrompt(base).system).not.toContain('[sim:')
  })

  it('stays within its budget however large the inputs, keeping the newest decisions', () => {
    const huge: AgentInput = {
      ...base,
      role: 'security_specialist',
      featureName: 'N'.repeat(5000),
      description: 'word '.repeat(50_000),
      decisions: Array.from({ length: 500 }, (_, i) => ({ text: `decision number ${i} ${'x'.repeat(400)}`, category: 'data' })),
      upstream: upstreamFor(AGENT_ROLES.slice(0, 5), 'y'.repeat(3000)),
    }
    const p = buildPrompt(huge)
    const ceiling = PROMPT_BUDGET.name + PROMPT_BUDGET.description + PROMPT_BUDGET.decisions + PROMPT_BUDGET.upstream + 1000
    // The shared head also holds the fixed instructions every role gets: the budget is what comes on top.
    const fixed = buildPrompt({ ...huge, featureName: '', description: '', decisions: [], upstream: [] }).sharedChars
    expect(p.user.length + p.sharedChars - fixed).toBeLessThan(ceiling)
    expect(p.context.truncated).toBe(true)
    expect(p.context.decisionsOmitted).toBeGreaterThan(0)
    expect(p.system).toContain('decision number 499')
    expect(p.system).not.toContain('decision number 0 ')
  })

  it('puts what the session shares first: the same head for every role, then the role', () => {
    const backend = buildPrompt(base)
    const security = buildPrompt({ ...base, role: 'security_specialist' })
    const head = backend.system.slice(0, backend.sharedChars)
    expect(security.system.slice(0, security.sharedChars)).toBe(head)
    expect(head).toContain('# Feature: Invoice export')
    expect(head).toContain('Keep CSV columns stable')
    expect(head).not.toContain(ROLE_DEFINITIONS.backend_developer.prompt)
    expect(backend.system.slice(backend.sharedChars)).toContain(ROLE_DEFINITIONS.backend_developer.prompt)
  })

  it('lists the validation problems in the repair message', () => {
    expect(buildRepairMessage(['confidence: Too big'])).toContain('- confidence: Too big')
  })
})

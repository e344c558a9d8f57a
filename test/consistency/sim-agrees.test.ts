import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AGENT_ROLES, type AgentRole, getRole } from '../../src/agents/index.ts'
import { createSimContext } from '../../src/agents/providers/sim-context.ts'
import { createRandom, hashText } from '../../src/agents/providers/sim-random.ts'
import { checkConsistency, type SessionOutputs } from '../../src/consistency/index.ts'

const briefs = ['eval/briefs', 'test/cli/fixtures/briefs'].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { feature_name: string; description: string }),
)

function outputsOf(featureName: string, description: string, mismatch: AgentRole | null = null): SessionOutputs {
  const outputs: SessionOutputs = {}
  for (const role of AGENT_ROLES) {
    const input = { role, featureName, description, decisions: [], upstream: [], attempt: 1 }
    const ctx = createSimContext(input, createRandom(hashText(`${role}:${featureName}`)), { mismatch: role === mismatch })
    outputs[role] = getRole(role).simulate(ctx)
  }
  return outputs
}

describe('the simulated team', () => {
  it(`agrees with itself on every eval brief (${briefs.length}): score 100, no finding`, () => {
    for (const brief of briefs) {
      const result = checkConsistency(outputsOf(brief.feature_name, brief.description))
      expect({ feature: brief.feature_name, findings: result.findings }).toEqual({ feature: brief.feature_name, findings: [] })
      expect(result.rulesRun).toHaveLength(5)
    }
  })

  it('agrees with itself when only some roles take part (a rule whose roles are absent does not run)', () => {
    const subsets: AgentRole[][] = [['security_specialist', 'it_administrator'], ['backend_developer', 'database_administrator', 'security_specialist'], ['software_architect', 'backend_developer', 'database_administrator'], ['frontend_developer', 'ui_ux_designer']]
    for (const brief of briefs) {
      const all = outputsOf(brief.feature_name, brief.description)
      for (const subset of subsets) {
        const outputs = Object.fromEntries(subset.map((r) => [r, all[r]]))
        expect({ feature: brief.feature_name, subset, findings: checkConsistency(outputs).findings }).toEqual({ feature: brief.feature_name, subset, findings: [] })
      }
    }
  })

  for (const role of AGENT_ROLES.filter((r) => r !== 'software_architect')) {
    it(`breaks rules involving the ${role}, and only those, under [sim:mismatch=${role}]`, () => {
      for (const brief of briefs.slice(0, 6)) {
        const result = checkConsistency(outputsOf(brief.feature_name, brief.description, role))
        expect(result.score).toBeLessThan(100)
        expect(result.findings.every((f) => f.roles.includes(role))).toBe(true)
      }
    })
  }

  it('names the frontend and the backend in an error under [sim:mismatch=frontend_developer]', () => {
    const result = checkConsistency(outputsOf('Invoice export', 'Export invoices to CSV.', 'frontend_developer'))
    const error = result.findings.find((f) => f.severity === 'error')
    expect(error).toMatchObject({ rule: 'frontend_calls_backend', roles: ['frontend_developer', 'backend_developer'] })
  })
})

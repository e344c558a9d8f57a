import { describe, expect, it } from 'bun:test'
import { createSimContext } from '../providers/sim-context.ts'
import { createRandom } from '../providers/sim-random.ts'
import { AGENT_ROLES } from '../role-ids.ts'
import { ROLE_DEFINITIONS } from './registry.ts'

const FEATURES = [
  ['Invoice export', 'Let accountants export invoices as CSV.'],
  ['Team chat', 'Members send messages in channels and search the history.'],
  ['', ''],
  ['日本語 feature', '<script>alert(1)</script> with "quotes" and\nnewlines'],
] as const

describe('role output schemas', () => {
  for (const role of AGENT_ROLES) {
    it(`accepts the simulated output of ${role} for every feature and seed`, () => {
      for (const [name, description] of FEATURES) {
        for (let seed = 1; seed <= 20; seed++) {
          const input = { role, featureName: name, description, decisions: [], upstream: [], attempt: 1 }
          const output = ROLE_DEFINITIONS[role].simulate(createSimContext(input, createRandom(seed)))
          const parsed = ROLE_DEFINITIONS[role].schema.safeParse(output)
          if (!parsed.success) throw new Error(`${role} seed ${seed}: ${parsed.error.message}`)
        }
      }
    })
  }

  it('rejects an output whose confidence is out of range or whose role field is missing', () => {
    const role = ROLE_DEFINITIONS.security_specialist
    const good = role.simulate(createSimContext({ role: role.id, featureName: 'a', description: 'b', decisions: [], upstream: [], attempt: 1 }, createRandom(1)))
    expect(role.schema.safeParse({ ...good, confidence: 1.5 }).success).toBe(false)
    const { risk_level: _, ...missing } = good
    expect(role.schema.safeParse(missing).success).toBe(false)
    expect(role.schema.safeParse({ ...good, risk_level: 'apocalyptic' }).success).toBe(false)
  })

  it('requires the architect diagram to be Mermaid', () => {
    const role = ROLE_DEFINITIONS.software_architect
    const good = role.simulate(createSimContext({ role: role.id, featureName: 'a', description: 'b', decisions: [], upstream: [], attempt: 1 }, createRandom(2)))
    expect(role.schema.safeParse(good).success).toBe(true)
    expect(role.schema.safeParse({ ...good, component_diagram: 'boxes and arrows' }).success).toBe(false)
  })
})

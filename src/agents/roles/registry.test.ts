import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES } from '../role-ids.ts'
import { getRole, listRoles, ROLE_DEFINITIONS } from './registry.ts'

/** The seed's "Agent Capabilities by Role" table. */
const SEED_CAPABILITIES = {
  software_architect: ['design', 'review', 'document'],
  frontend_developer: ['design', 'implement', 'test', 'review'],
  backend_developer: ['implement', 'test', 'review', 'optimize'],
  ui_ux_designer: ['design', 'review', 'document'],
  database_administrator: ['design', 'implement', 'optimize', 'audit'],
  it_administrator: ['deploy', 'audit', 'optimize'],
  security_specialist: ['audit', 'review', 'document'],
} as const

/** The fields, then the checkable ones the consistency rules read (issue 18). */
const ROLE_FIELDS = {
  software_architect: ['patterns', 'component_diagram', 'tech_stack', 'integration_points'],
  backend_developer: ['endpoints', 'data_models', 'code_snippets', 'performance_notes', 'mitigates'],
  frontend_developer: ['components', 'state_management', 'code_snippets', 'accessibility_notes', 'api_calls'],
  ui_ux_designer: ['user_flows', 'wireframe_description', 'design_tokens', 'accessibility_score'],
  database_administrator: ['schema_changes', 'indexes', 'queries', 'migration_steps'],
  it_administrator: ['infrastructure', 'deployment_steps', 'monitoring', 'scaling_notes', 'mitigates'],
  security_specialist: ['vulnerabilities', 'risk_level', 'mitigations', 'compliance_notes'],
} as const

describe('role registry', () => {
  it('defines every role id exactly once, in dag order', () => {
    expect(listRoles().map((r) => r.id)).toEqual([...AGENT_ROLES])
    for (const role of AGENT_ROLES) expect(getRole(role).id).toBe(role)
  })

  it("gives each role the seed's capabilities", () => {
    for (const role of AGENT_ROLES) expect([...ROLE_DEFINITIONS[role].capabilities].sort()).toEqual([...SEED_CAPABILITIES[role]].sort())
  })

  it('gives each role a display name, a description and a role prompt', () => {
    for (const role of listRoles()) {
      expect(role.displayName.length).toBeGreaterThan(3)
      expect(role.description.length).toBeGreaterThan(20)
      expect(role.prompt).toContain(role.displayName)
    }
  })

  it('builds every schema from the shared base plus the role fields of the issue', () => {
    for (const role of AGENT_ROLES) {
      const keys = Object.keys(ROLE_DEFINITIONS[role].schema.shape)
      expect(keys).toEqual(['analysis', 'approach', 'decisions', 'concerns', 'confidence', ...ROLE_FIELDS[role]])
    }
  })

  it('only depends on roles that come earlier, so the dag has no cycle', () => {
    for (const role of AGENT_ROLES) {
      for (const dep of ROLE_DEFINITIONS[role].dependsOn) expect(AGENT_ROLES.indexOf(dep)).toBeLessThan(AGENT_ROLES.indexOf(role))
    }
  })
})

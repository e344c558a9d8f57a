import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES, listRoles } from '../agents/index.ts'
import { buildPlanGraph, planStages } from './plan.ts'

/** The plan over the real role definitions (each role file's `dependsOn`). */
const roles = listRoles()

describe('the dag plan over the role registry', () => {
  it('runs the seven roles in the four stages of the design', () => {
    const stages = planStages(buildPlanGraph('dag', AGENT_ROLES, roles))
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

  it('bridges over roles that were not chosen', () => {
    const graph = buildPlanGraph('dag', ['security_specialist', 'software_architect'], roles)
    expect([...graph]).toEqual([
      ['software_architect', []],
      ['security_specialist', ['software_architect']],
    ])
  })

  it('gives a role chosen alone no dependencies', () => {
    expect(buildPlanGraph('dag', ['it_administrator'], roles).get('it_administrator')).toEqual([])
  })
})

import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES, type AgentRole, listRoles } from '../agents/index.ts'
import { buildPlanGraph, designStages, planStages } from './plan.ts'

/** The plan over the real role definitions (each role file's `dependsOn`). */
const roles = listRoles()

/** DESIGN.md's stages, written out: the oracle the graph is checked against. */
const DESIGN_STAGES: AgentRole[][] = [
  ['software_architect'],
  ['backend_developer', 'database_administrator'],
  ['frontend_developer', 'ui_ux_designer'],
  ['security_specialist', 'it_administrator'],
]
const stageOf = (role: AgentRole): number => DESIGN_STAGES.findIndex((s) => s.includes(role))

/** Every subset of the seven roles (2^7 = 128, the empty one included), in registry order. */
const SUBSETS: AgentRole[][] = Array.from({ length: 2 ** AGENT_ROLES.length }, (_, mask) => AGENT_ROLES.filter((_, i) => mask & (1 << i)))

describe('the dag plan over the role registry', () => {
  it("derives DESIGN's four stages from the roles' dependencies", () => {
    expect(Object.fromEntries(designStages(roles))).toEqual(Object.fromEntries(AGENT_ROLES.map((r) => [r, stageOf(r)])))
  })

  it('makes every role of the full team wait for every role of the earlier stages', () => {
    const graph = buildPlanGraph('dag', AGENT_ROLES, roles)
    expect(graph.get('frontend_developer')).toEqual(['software_architect', 'backend_developer', 'database_administrator'])
    expect(graph.get('ui_ux_designer')).toEqual(['software_architect', 'backend_developer', 'database_administrator'])
    expect(graph.get('it_administrator')).toEqual([
      'software_architect',
      'backend_developer',
      'database_administrator',
      'frontend_developer',
      'ui_ux_designer',
    ])
  })

  it('keeps the stage order for every subset of roles: each role waits for exactly the chosen roles of earlier stages', () => {
    for (const chosen of SUBSETS) {
      const graph = buildPlanGraph('dag', [...chosen].reverse(), roles)
      expect([...graph.keys()]).toEqual(chosen)
      for (const role of chosen) {
        expect(graph.get(role)).toEqual(chosen.filter((other) => stageOf(other) < stageOf(role)))
      }
      // The stages drawn for the subset are the design stages that kept a chosen role, renumbered.
      const kept = DESIGN_STAGES.map((s) => s.filter((r) => chosen.includes(r))).filter((s) => s.length > 0)
      const drawn = planStages(graph)
      for (const role of chosen) expect(drawn.get(role)).toBe(kept.findIndex((s) => s.includes(role)))
    }
  })

  it('gives a role chosen alone no dependencies', () => {
    expect(buildPlanGraph('dag', ['it_administrator'], roles).get('it_administrator')).toEqual([])
  })

  it('makes a later stage wait for the previous chosen stage when the stages between were not chosen', () => {
    const graph = buildPlanGraph('dag', ['database_administrator', 'frontend_developer', 'it_administrator'], roles)
    expect([...graph]).toEqual([
      ['database_administrator', []],
      ['frontend_developer', ['database_administrator']],
      ['it_administrator', ['database_administrator', 'frontend_developer']],
    ])
  })
})

describe('the sequential and parallel plans', () => {
  it('chains every subset in registry order, or leaves it unchained', () => {
    for (const chosen of SUBSETS) {
      const sequential = buildPlanGraph('sequential', [...chosen].reverse(), roles)
      expect([...sequential]).toEqual(chosen.map((role, i) => [role, i === 0 ? [] : [chosen[i - 1] as AgentRole]]))
      const parallel = buildPlanGraph('parallel', chosen, roles)
      expect([...parallel]).toEqual(chosen.map((role) => [role, []]))
    }
  })
})

describe('designStages', () => {
  it('throws on a dependency cycle', () => {
    expect(() =>
      designStages([
        { id: 'backend_developer', dependsOn: ['database_administrator'] },
        { id: 'database_administrator', dependsOn: ['backend_developer'] },
      ]),
    ).toThrow('cycle')
  })
})

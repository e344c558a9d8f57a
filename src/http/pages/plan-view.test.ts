import { describe, expect, it } from 'bun:test'
import { AGENT_ROLES } from '../../agents/index.ts'
import { planView } from './plan-view.ts'

const ALL = [...AGENT_ROLES].reverse()

describe('planView', () => {
  it('groups the dag plan into the four stages the supervisor runs, in registry order', () => {
    expect(planView('dag', ALL).stages).toEqual([
      ['software_architect'],
      ['backend_developer', 'database_administrator'],
      ['frontend_developer', 'ui_ux_designer'],
      ['security_specialist', 'it_administrator'],
    ])
  })

  it('says whom a role waits for without the chain behind them', () => {
    const { waits_for } = planView('dag', ALL)
    expect(waits_for.software_architect).toEqual([])
    expect(waits_for.frontend_developer).toEqual(['backend_developer', 'database_administrator'])
    expect(waits_for.security_specialist).toEqual(['frontend_developer', 'ui_ux_designer'])
    expect(waits_for.it_administrator).toEqual(['frontend_developer', 'ui_ux_designer'])
  })

  it('gives parallel one stage and sequential one stage per agent', () => {
    expect(planView('parallel', ALL).stages).toHaveLength(1)
    const sequential = planView('sequential', ALL)
    expect(sequential.stages).toHaveLength(7)
    expect(sequential.waits_for.backend_developer).toEqual(['software_architect'])
  })

  it('looks through roles that were not chosen and puts unknown roles last', () => {
    expect(planView('dag', ['security_specialist', 'software_architect', 'mystery']).stages).toEqual([
      ['software_architect'],
      ['security_specialist'],
      ['mystery'],
    ])
  })
})

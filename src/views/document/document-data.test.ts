import { describe, expect, it } from 'bun:test'
import type { TaskView } from '../view-types.ts'
import { planSequence } from './document-data.ts'

const task = (agent_role: string): TaskView => ({ agent_role }) as TaskView
const label = (role: string): string => role.toUpperCase()

describe('planSequence', () => {
  it('joins the roles of one stage with + and the stages with →, so a staged plan does not read as sequential', () => {
    const plan = { stages: [['a'], ['b', 'c'], ['d']], waits_for: {} }
    expect(planSequence(['a', 'b', 'c', 'd'].map(task), plan, label)).toBe('A → B + C → D')
  })

  it('gives a parallel plan one stage and a sequential plan one arrow per role', () => {
    expect(planSequence(['a', 'b'].map(task), { stages: [['a', 'b']], waits_for: {} }, label)).toBe('A + B')
    expect(planSequence(['a', 'b'].map(task), { stages: [['a'], ['b']], waits_for: {} }, label)).toBe('A → B')
  })
})

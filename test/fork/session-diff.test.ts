import { describe, expect, it } from 'bun:test'
import { changedFields, changedRoles, type DiffSide, diffSessions } from '../../src/sessions/index.ts'

const side = (id: number, cost: number, tasks: DiffSide['tasks']): DiffSide => ({ id, cost_usd: cost, tasks })
const task = (agent_role: string, output: Record<string, unknown>, decisions: string[], status: 'completed' | 'failed' = 'completed') => ({
  agent_role,
  status,
  output_data: output,
  confidence: typeof output.confidence === 'number' ? output.confidence : null,
  decisions,
})

describe('diffSessions', () => {
  it('is empty for two sessions with the same roles, outputs and decisions, whatever the key order', () => {
    const a = side(1, 0.5, [task('software_architect', { analysis: 'x', pattern: { a: 1, b: 2 }, confidence: 0.8 }, ['Use REST'])])
    const b = side(2, 0.2, [task('software_architect', { pattern: { b: 2, a: 1 }, confidence: 0.8, analysis: 'x' }, ['Use REST'])])
    const diff = diffSessions(a, b)
    expect(changedRoles(diff)).toEqual([])
    expect(diff.roles[0]?.decisions).toEqual({ added: [], removed: [], kept: ['Use REST'] })
    expect(diff.cost_usd_delta).toBe(0.3)
  })

  it('names decisions added, removed and kept, changed fields, confidences and statuses', () => {
    const a = side(1, 0, [task('backend_developer', { analysis: 'new', endpoints: [1], confidence: 0.6, decisions: [1] }, ['Events', 'Postgres'])])
    const b = side(2, 0, [task('backend_developer', { analysis: 'old', endpoints: [1], confidence: 0.9, decisions: [2] }, ['Polling', 'Postgres'], 'failed')])
    const [role] = diffSessions(a, b).roles
    expect(role).toEqual({
      agent_role: 'backend_developer',
      status: 'completed',
      against_status: 'failed',
      confidence: 0.6,
      against_confidence: 0.9,
      decisions: { added: ['Events'], removed: ['Polling'], kept: ['Postgres'] },
      fields_changed: ['analysis'],
    })
  })

  it('lists every role of either session in plan order, with null for a side without it', () => {
    const a = side(1, 0, [task('it_administrator', {}, []), task('software_architect', {}, [])])
    const b = side(2, 0, [task('software_architect', {}, []), task('database_administrator', { x: 1 }, ['Index'])])
    const diff = diffSessions(a, b)
    expect(diff.roles.map((r) => r.agent_role)).toEqual(['software_architect', 'database_administrator', 'it_administrator'])
    expect(diff.roles[1]).toMatchObject({ status: null, against_status: 'completed', decisions: { removed: ['Index'] }, fields_changed: ['x'] })
    expect(changedRoles(diff)).toEqual(['database_administrator', 'it_administrator'])
  })

  it('reads a missing or non-object output as no fields', () => {
    expect(changedFields(null, { a: 1 })).toEqual(['a'])
    expect(changedFields('text', [1])).toEqual([])
  })
})

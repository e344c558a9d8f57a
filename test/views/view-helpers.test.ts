import { describe, expect, it } from 'bun:test'
import { describeEvent, formatDuration, formatOffset, highlightMatches, readAgentOutput, type SessionEventView } from '../../src/views/index.ts'

describe('highlightMatches', () => {
  it('wraps every case-insensitive match in <mark> and escapes everything', () => {
    expect(highlightMatches('Use a <Token> and another token', 'token')).toBe(
      'Use a &lt;<mark>Token</mark>&gt; and another <mark>token</mark>',
    )
  })

  it('cannot be tricked into emitting markup by the query', () => {
    expect(highlightMatches('a <b> c', '<b>')).toBe('a <mark>&lt;b&gt;</mark> c')
  })

  it('escapes the text when the query is empty', () => {
    expect(highlightMatches('<i>', '  ')).toBe('&lt;i&gt;')
  })
})

describe('readAgentOutput', () => {
  it('splits the shared base fields from the role fields', () => {
    const out = readAgentOutput({ analysis: 'a', decisions: [{ text: 't', rationale: 'r' }, 'plain'], concerns: ['c', 3], confidence: 1.7, endpoints: [1] })
    expect(out.analysis).toBe('a')
    expect(out.decisions).toEqual([
      { text: 't', rationale: 'r', category: null },
      { text: 'plain', rationale: null, category: null },
    ])
    expect(out.concerns).toEqual(['c'])
    expect(out.confidence).toBe(1)
    expect(out.role_fields).toEqual([['endpoints', [1]]])
  })

  it('never throws on output that is not an object', () => {
    for (const v of [null, 'text', 42, [1, 2], undefined]) {
      expect(readAgentOutput(v)).toEqual({ analysis: null, approach: null, decisions: [], concerns: [], confidence: null, role_fields: [] })
    }
  })
})

describe('formatting', () => {
  it('formats durations and offsets without a locale', () => {
    expect(formatDuration(null)).toBe('—')
    expect(formatDuration(42)).toBe('42s')
    expect(formatDuration(185)).toBe('3m 05s')
    expect(formatDuration(7440)).toBe('2h 04m')
    expect(formatOffset(65)).toBe('1:05')
    expect(formatOffset(3725)).toBe('1:02:05')
  })

  it('describes events by agent, from the event data or the task list', () => {
    const base = { id: '1', session_id: 1, at: '2025-01-15T12:00:00Z' }
    // Partial data on purpose: the description tolerates a missing role.
    const ev = (e: object): SessionEventView => e as SessionEventView
    expect(describeEvent(ev({ ...base, type: 'task_completed', data: { agent_role: 'ui_ux_designer' } }), [])).toBe('UI/UX Designer completed.')
    expect(describeEvent(ev({ ...base, type: 'task_failed', data: { task_id: 5, error: 'boom' } }), [])).toBe('An agent failed: boom')
  })
})

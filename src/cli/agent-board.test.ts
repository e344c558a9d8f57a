import { describe, expect, it } from 'bun:test'
import { applyEvent, bar, createBoard, formatElapsed, progressOf, renderBoard } from './agent-board.ts'

const task = (id: number, role: string) => ({
  id,
  agent_role: role,
  status: 'pending',
  started_at: null,
  completed_at: null,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: null,
  retry_count: 0,
})

function event(id: number, type: string, data: Record<string, unknown>, at: string) {
  return { id: String(id), session_id: 9, type, at, data }
}

describe('the agent board', () => {
  it('follows an agent from pending through running to completed, its bar filling', () => {
    const board = createBoard({ id: 9, feature_name: 'Checkout', status: 'active' }, [task(1, 'software_architect'), task(2, 'backend_developer')])
    applyEvent(board, event(2, 'task_started', { agent_role: 'software_architect', attempt: 1 }, '2026-12-07T10:00:00.000Z'))
    applyEvent(board, event(3, 'task_progress', { agent_role: 'software_architect', chars: 2000 }, '2026-12-07T10:00:01.000Z'))
    expect(board.rows[0]?.status).toBe('running')
    expect(progressOf(board.rows[0] as never)).toBe(0.5)
    applyEvent(board, event(4, 'task_completed', { agent_role: 'software_architect', attempt: 1 }, '2026-12-07T10:00:02.500Z'))
    const lines = renderBoard(board, Date.parse('2026-12-07T10:00:09Z')).map((l) => l.replace(/\u001b\[[0-9;]*m/g, ''))
    expect(lines[1]).toMatch(/^✓ software_architect\s+completed\s+█{20}\s+0 tok\s+–\s+2\.5s$/)
    expect(lines[2]).toMatch(/^· backend_developer\s+pending\s+░{20}\s+0 tok\s+–$/)
  })

  it('marks the unfinished agents skipped when the session fails', () => {
    const board = createBoard({ id: 9, feature_name: 'Checkout', status: 'active' }, [task(1, 'software_architect'), task(2, 'backend_developer')])
    applyEvent(board, event(5, 'task_failed', { agent_role: 'software_architect', attempt: 4 }, '2026-12-07T10:00:02Z'))
    applyEvent(board, event(6, 'session_failed', {}, '2026-12-07T10:00:03Z'))
    expect(board.status).toBe('failed')
    expect(board.rows.map((r) => r.status)).toEqual(['failed', 'skipped'])
  })

  it('draws bars and elapsed times', () => {
    expect(bar(0.25, 8)).toBe('██░░░░░░')
    expect(formatElapsed(4200)).toBe('4.2s')
    expect(formatElapsed(65_000)).toBe('1m05s')
  })
})

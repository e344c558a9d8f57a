import { describe, expect, it } from 'bun:test'
import { AgentCard, ReviewList } from '../../src/views/index.ts'
import type { PlanView, TaskView } from '../../src/views/index.ts'

const plan: PlanView = { stages: [['software_architect']], waits_for: {} }
const task: TaskView = {
  id: 7,
  session_id: 3,
  agent_role: 'software_architect',
  task_description: null,
  input_data: null,
  output_data: { analysis: 'A <b>bold</b> plan', approach: 'x', decisions: [], concerns: [], confidence: 0.6 },
  status: 'awaiting_review',
  started_at: '2026-12-01T10:00:00.000Z',
  completed_at: '2026-12-01T10:00:05.000Z',
  duration_seconds: 5,
  error_message: null,
  retry_count: 0,
  model: 'simulated',
  input_tokens: 10,
  output_tokens: 20,
  created_at: '2026-12-01T10:00:00.000Z',
}

describe('review views', () => {
  it('shows the verdict forms on a card awaiting review only to those who may review, with the CSRF field', async () => {
    const forms = await (<AgentCard task={task} plan={plan} now="2026-12-01T10:01:00.000Z" can_review csrf_token="tok" />)
    expect(forms).toContain('action="/tasks/7/review"')
    expect(forms).toContain('name="_csrf" value="tok"')
    expect(forms).toContain('value="approve"')
    expect(forms).toContain('value="reject"')
    const readOnly = await (<AgentCard task={task} plan={plan} now="2026-12-01T10:01:00.000Z" />)
    expect(readOnly).not.toContain('/tasks/7/review')
    // The output is shown either way.
    expect(readOnly).toContain('Confidence')
    const completed = await (<AgentCard task={{ ...task, status: 'completed' }} plan={plan} now="2026-12-01T10:01:00.000Z" can_review />)
    expect(completed).not.toContain('/tasks/7/review')
  })

  it('escapes reviewers and comments in the review list', async () => {
    const html = await (
      <ReviewList
        reviews={[{ id: 1, agent_role: 'software_architect', attempt: 1, reviewer: '<i>eve</i>', verdict: 'changes', comment: '<script>alert(1)</script>', created_at: '2026-12-01T10:00:00.000Z' }]}
      />
    )
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<i>eve')
    expect(html).toContain('&lt;script&gt;')
    expect(html).toContain('Requested changes')
  })
})

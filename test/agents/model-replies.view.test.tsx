import { describe, expect, it } from 'bun:test'
import { ModelReplies } from '../../src/views/pages/task-snapshot.view.tsx'

const evil = '<script>alert("x")</script>'

describe('the inspector’s model replies', () => {
  it('shows every call of the attempt with its outcome, finish reason, timing and raw text, escaped', async () => {
    const html = await (
      <ModelReplies
        attempts={[{
          outcome: 'failed',
          attempt: 1,
          reply_outcome: 'failed',
          replies: [
            { purpose: 'answer', provider: 'openai', model: `gpt${evil}`, text: `{"analysis": "${evil}"`, chars: 40_000, finishReason: 'length', firstTokenMs: 412, totalMs: 9000 },
            { purpose: 'longer', provider: 'openai', model: 'gpt-4o', text: '', chars: 0, finishReason: 'error', firstTokenMs: null, totalMs: 30, error: `model API answered 500: ${evil}` },
          ],
        }, { outcome: 'completed', attempt: 2, reply_outcome: 'repaired_locally', replies: [{ purpose: 'answer', provider: 'openai', model: 'gpt-4o', text: '{"a": 1,}', chars: 9, finishReason: 'stop', firstTokenMs: 3, totalMs: 9 }] }]}
      />
    )
    expect(html).toContain('Attempt 1 · failed · reply failed')
    expect(html).toContain('Attempt 2 · completed · reply repaired locally')
    expect(html).toContain('{&quot;a&quot;: 1,}')
    expect(html).toContain('1. Answer · openai / gpt&lt;script&gt;')
    expect(html).toContain('2. Again with a larger token limit')
    expect(html).toContain('· length')
    expect(html).toContain('412 ms')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('kept)')
    expect(html).toContain('No text.')
  })

  it('renders nothing for a snapshot without replies (older rows, the simulated provider before this change)', async () => {
    expect(await (<ModelReplies attempts={[{ outcome: 'completed' }]} />)).toBe('')
    expect(await (<ModelReplies attempts={[null]} />)).toBe('')
    expect(await (<ModelReplies attempts={[]} />)).toBe('')
  })
})

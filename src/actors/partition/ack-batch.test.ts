import { describe, expect, it } from 'bun:test'
import { silentLogger } from '../../log/index.ts'
import { createInProcessTransport } from '../transport/index.ts'
import type { MailboxTransport } from '../transport/index.ts'
import { createAckBatch } from './ack-batch.ts'

/** A transport whose acks are recorded (calls, in order) and can be made to fail. */
function recordingTransport(fail = false): { transport: MailboxTransport; calls: Array<[number, string[]]> } {
  const calls: Array<[number, string[]]> = []
  const transport: MailboxTransport = {
    ...createInProcessTransport(),
    async ack(partition, ids) {
      calls.push([partition, [...ids]])
      if (fail) throw new Error('transport down')
    },
  }
  return { transport, calls }
}

describe('ack batch', () => {
  it('sends every partition’s acknowledgements together, once per partition, after a short wait', async () => {
    const { transport, calls } = recordingTransport()
    const acks = createAckBatch(transport, silentLogger())
    acks.add(1, ['1-1'])
    acks.add(2, ['2-1'])
    acks.add(1, ['1-2'])
    expect(calls).toEqual([])
    await Bun.sleep(60)
    expect(calls).toEqual([
      [1, ['1-1', '1-2']],
      [2, ['2-1']],
    ])
  })

  it('flushes one partition at once on request and leaves the others queued', async () => {
    const { transport, calls } = recordingTransport()
    const acks = createAckBatch(transport, silentLogger())
    acks.add(1, ['1-1'])
    acks.add(2, ['2-1'])
    await acks.flush(1)
    expect(calls).toEqual([[1, ['1-1']]])
    await acks.flush()
    expect(calls).toEqual([
      [1, ['1-1']],
      [2, ['2-1']],
    ])
  })

  it('ignores empty lists and never throws when the transport fails', async () => {
    const { transport, calls } = recordingTransport(true)
    const acks = createAckBatch(transport, silentLogger())
    acks.add(3, [])
    await acks.flush()
    expect(calls).toEqual([])
    acks.add(3, ['3-1'])
    await acks.flush()
    expect(calls).toEqual([[3, ['3-1']]])
  })

  it('sends at once when many are queued', async () => {
    const { transport, calls } = recordingTransport()
    const acks = createAckBatch(transport, silentLogger())
    acks.add(0, Array.from({ length: 600 }, (_, i) => `0-${i}`))
    await Bun.sleep(0)
    expect(calls.map(([p, ids]) => [p, ids.length])).toEqual([[0, 600]])
  })
})

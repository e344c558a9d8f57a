import { describe, expect, it } from 'bun:test'
import { z } from 'zod'
import { defineBehaviour, on } from './behaviour.ts'
import { defineMessage } from './message.ts'

const A = defineMessage('t.a', z.object({ n: z.number() }))
const B = defineMessage('t.b', z.object({}))

describe('defineBehaviour', () => {
  it('derives accepts from the handler map and runs the handler of each message type', async () => {
    const seen: string[] = []
    const b = defineBehaviour({
      kind: 't',
      handlers: {
        [A.type]: on(A, (_ctx, m) => void seen.push(`a${m.payload.n}`)),
        [B.type]: on(B, () => void seen.push('b')),
      },
    })
    expect([...b.accepts.keys()].sort()).toEqual(['t.a', 't.b'])
    expect(b.accepts.get('t.a')).toBe(A as never)
    await b.receive(A({ n: 2 }), {} as never)
    await b.receive(B({}), {} as never)
    expect(seen).toEqual(['a2', 'b'])
  })

  it('refuses a handler filed under another message type’s key', () => {
    // A mismatched key is a type error too; the check at run time covers untyped callers.
    // @ts-expect-error the handler under 't.b' handles 't.a'
    expect(() => defineBehaviour({ kind: 't', handlers: { 't.b': on(A, () => {}) } })).toThrow('the handler under "t.b" is for "t.a"')
  })
})

import { describe, expect, it } from 'bun:test'
import type { Transaction } from 'kysely'
import { z } from 'zod'
import type { Database } from '../../db/index.ts'
import { silentLogger } from '../../log/index.ts'
import { type Behaviour, defineBehaviour, defineMessage, type Envelope, HandlerFailure, on } from '../model/index.ts'
import type { RegistryEntry } from '../storage/index.ts'
import { emptyEffects, makeEnvelope } from './actor-context.ts'
import { type ActiveActor, type ActiveActors, type DispatchScope, dispatch } from './dispatch.ts'

const Add = defineMessage('counter.add', z.object({ by: z.number().int() }))
const Boom = defineMessage('counter.boom', z.object({}))
const Other = defineMessage('counter.other', z.object({}))

/** A fake behaviour: counts in memory, tells `log/1` each sum; Boom throws. */
const Counter: Behaviour<number> = defineBehaviour<number>({
  kind: 'counter',
  activate: () => 10,
  handlers: {
    [Add.type]: on(Add, (ctx, message) => {
      ctx.state += message.payload.by
      ctx.tell('log/1', Add({ by: ctx.state }))
    }),
    [Boom.type]: on(Boom, () => {
      throw new Error('boom')
    }),
  },
})

/** A transaction that fails the test if dispatch touches the database for these messages. */
const noDatabase = new Proxy({} as Transaction<Database>, {
  get(_, property) {
    throw new Error(`dispatch used the transaction (${String(property)}) where it needed none`)
  },
})

function memoryActors(): ActiveActors & { map: Map<string, ActiveActor> } {
  const map = new Map<string, ActiveActor>()
  return { map, use: (s) => map.get(s), add: (s, a) => map.set(s, a), remove: (s) => map.delete(s) }
}

function scope(registry: Map<string, RegistryEntry> = new Map()): DispatchScope & { actors: ReturnType<typeof memoryActors> } {
  return {
    trx: noDatabase,
    partition: 0,
    partitions: 1,
    log: silentLogger(),
    behaviours: new Map([['counter', Counter as Behaviour]]),
    knownKinds: new Set(['counter', 'log']),
    actors: memoryActors(),
    registry,
    supervisorsKnown: true,
    effects: emptyEffects(),
    stopped: new Set(),
    spawned: new Map(),
    touched: new Set(),
    activated: [],
  }
}

const message = (envelope: Envelope | null, firstTime = true, invalid: string | null = null) => ({ index: 3, envelope, invalid, attempt: 1, firstTime: () => firstTime })

describe('dispatch', () => {
  it('activates the actor, runs the handler for the message type with its payload, and keeps its state', async () => {
    const s = scope()
    expect(await dispatch(s, message(makeEnvelope('counter/a', Add({ by: 5 }))))).toEqual({ kind: 'handled' })
    expect(await dispatch(s, message(makeEnvelope('counter/a', Add({ by: 2 }))))).toEqual({ kind: 'handled' })
    expect(s.actors.map.get('counter/a')?.state).toBe(17)
    expect(s.activated).toEqual(['counter/a'])
    expect(s.touched.has('counter/a')).toBe(true)
    expect(s.effects.outbox.map((m) => m.built?.payload)).toEqual([{ by: 15 }, { by: 17 }])
  })

  it('reports a message handled before as a duplicate without running its handler', async () => {
    const s = scope()
    expect(await dispatch(s, message(makeEnvelope('counter/a', Add({ by: 5 })), false))).toEqual({ kind: 'duplicate' })
    expect(s.actors.map.size).toBe(0)
    expect(s.effects.outbox).toHaveLength(0)
  })

  it('dead-letters an undecodable entry with its reason, telling the supervisor', async () => {
    expect(await dispatch(scope(), message(null, true, 'invalid envelope: bad json'))).toEqual({
      kind: 'dead-letter',
      reason: 'invalid envelope: bad json',
      notify: true,
    })
  })

  it('dead-letters a message for a kind with no behaviour, without telling anyone', async () => {
    expect(await dispatch(scope(), message(makeEnvelope('nobody/a', Add({ by: 1 }))))).toEqual({
      kind: 'dead-letter',
      reason: 'no behaviour registered for kind "nobody"',
      notify: false,
    })
  })

  it('dead-letters a type the behaviour has no handler for, and a payload its schema refuses', async () => {
    const s = scope()
    expect(await dispatch(s, message(makeEnvelope('counter/a', Other({}))))).toEqual({
      kind: 'dead-letter',
      reason: 'message type "counter.other" is not accepted by "counter"',
      notify: true,
    })
    const bad = { ...makeEnvelope('counter/a', Add({ by: 1 })), payload: { by: 'x' } }
    const outcome = await dispatch(s, message(bad))
    expect(outcome.kind).toBe('dead-letter')
    expect(outcome.kind === 'dead-letter' && outcome.reason).toStartWith('invalid payload for "counter.add": by ')
  })

  it('dead-letters mail to an actor stopped before or earlier in the same commit', async () => {
    const registry = new Map<string, RegistryEntry>([['counter/b', { status: 'stopped', supervisor: null } as RegistryEntry]])
    const s = scope(registry)
    expect(await dispatch(s, message(makeEnvelope('counter/b', Add({ by: 1 }))))).toEqual({ kind: 'dead-letter', reason: 'actor stopped', notify: false })
    s.stopped.add('counter/c')
    expect(await dispatch(s, message(makeEnvelope('counter/c', Add({ by: 1 }))))).toEqual({ kind: 'dead-letter', reason: 'actor stopped', notify: false })
  })

  it('throws HandlerFailure naming the message’s index when the handler throws', async () => {
    const s = scope()
    const failure = await dispatch(s, message(makeEnvelope('counter/a', Boom({})))).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HandlerFailure)
    expect((failure as HandlerFailure).index).toBe(3)
    expect(((failure as HandlerFailure).cause as Error).message).toBe('boom')
    expect(s.touched.has('counter/a')).toBe(true)
  })
})

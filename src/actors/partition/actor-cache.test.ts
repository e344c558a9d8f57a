import { describe, expect, it } from 'bun:test'
import { defineBehaviour } from '../model/index.ts'
import { ActorCache } from './actor-cache.ts'

const behaviour = defineBehaviour({ kind: 'x', handlers: {} })
const actor = (state: number) => ({ behaviour, state, supervisor: undefined })

describe('actor cache', () => {
  it('passivates the least recently used actors beyond its limit', () => {
    const cache = new ActorCache(2)
    cache.add('x/a', actor(1))
    cache.add('x/b', actor(2))
    cache.add('x/c', actor(3))
    cache.use('x/a')
    cache.passivate()
    expect(cache.size).toBe(2)
    expect(cache.has('x/b')).toBe(false)
    expect(cache.has('x/a')).toBe(true)
    expect(cache.has('x/c')).toBe(true)
  })

  it('remembers supervisors learned from spawns for actors in memory only', () => {
    const cache = new ActorCache(10)
    cache.add('x/child', actor(0))
    cache.learnSupervisors(new Map([
      ['x/child', 'x/parent'],
      ['x/gone', 'x/parent'],
    ]))
    expect(cache.use('x/child')?.supervisor).toBe('x/parent')
    expect(cache.has('x/gone')).toBe(false)
  })
})

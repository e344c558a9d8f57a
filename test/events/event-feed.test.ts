import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Kysely } from 'kysely'
import type { Database, DatabaseHandle } from '../../src/db/index.ts'
import {
  appendEvents,
  createEventFeed,
  createInProcessEventBus,
  createRedisEventBus,
  type EventBus,
  readEvents,
  type SessionEvent,
} from '../../src/events/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { connectRedis, type Redis } from '../../src/redis/index.ts'
import { primaryEngine, testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

let unique = 0
async function newSession(db: Kysely<Database>): Promise<number> {
  const tag = `ev${Date.now().toString(36)}${unique++}`
  const user = await db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: tag, owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  const session = await db
    .insertInto('execution_sessions')
    .values({ team_id: team.id, user_id: user.id, feature_name: tag, status: 'active' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return session.id
}

async function append(db: Kysely<Database>, sessionId: number, n: number, from = 0): Promise<SessionEvent[]> {
  return db.transaction().execute((trx) =>
    appendEvents(trx, sessionId, Array.from({ length: n }, (_, i) => ({
      type: 'task_progress' as const,
      data: { task_id: 1, agent_role: 'software_architect', attempt: 1, analysis: '', chars: from + i },
    }))),
  )
}

/** Reads `count` events from a follower, or fails after `ms`. */
async function take(it: AsyncGenerator<SessionEvent>, count: number, ms = 5000): Promise<SessionEvent[]> {
  const out: SessionEvent[] = []
  const timeout = Bun.sleep(ms).then(() => 'timeout' as const)
  while (out.length < count) {
    const next = await Promise.race([it.next(), timeout])
    if (next === 'timeout') throw new Error(`got ${out.length} of ${count} events: ${out.map((e) => e.id).join(',')}`)
    if (next.done) break
    out.push(next.value)
  }
  return out
}

for (const engine of testEngines()) {
  describe(`event log (${engine.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await engine.open()
    })
    afterAll(() => handle.close())

    it('numbers a session’s events 1, 2, 3… across transactions', async () => {
      const sid = await newSession(handle.db)
      const first = await append(handle.db, sid, 2)
      const second = await append(handle.db, sid, 3)
      expect([...first, ...second].map((e) => e.id)).toEqual(['1', '2', '3', '4', '5'])
      expect((await readEvents(handle.db, sid, 2)).map((e) => (e.type === 'task_progress' ? e.data.chars : null))).toEqual([0, 1, 2])
    })

    it('gives concurrent writers to one session distinct, gap-free numbers', async () => {
      const sid = await newSession(handle.db)
      await Promise.all(Array.from({ length: 8 }, (_, i) => append(handle.db, sid, 3, i * 3)))
      const ids = (await readEvents(handle.db, sid, 0)).map((e) => Number(e.id))
      expect(ids).toEqual(Array.from({ length: 24 }, (_, i) => i + 1))
    })

    it('writes nothing when the transaction rolls back', async () => {
      const sid = await newSession(handle.db)
      await expect(
        handle.db.transaction().execute(async (trx) => {
          await appendEvents(trx, sid, [{ type: 'session_started', data: { feature_name: 'f', plan: 'dag', tasks: [] } }])
          throw new Error('rollback')
        }),
      ).rejects.toThrow('rollback')
      expect(await readEvents(handle.db, sid, 0)).toEqual([])
      expect((await append(handle.db, sid, 1))[0]?.id).toBe('1')
    })
  })
}

function feedContract(name: string, makeBus: () => Promise<EventBus>, countSubscriptions?: (sessionId: number) => Promise<number>): void {
  describe(`event feed over ${name}`, () => {
    let handle: DatabaseHandle
    let bus: EventBus
    beforeAll(async () => {
      handle = await primaryEngine().open()
      bus = await makeBus()
    })
    afterAll(async () => {
      await bus.close()
      await handle.close()
    })

    it('replays the log after the given id, then follows live events, without repeats', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      await append(handle.db, sid, 3)
      const ac = new AbortController()
      const follower = feed.follow(sid, 1, ac.signal)
      const backlog = await take(follower, 2)
      const live = await append(handle.db, sid, 2, 3)
      await bus.publish(live)
      const rest = await take(follower, 2)
      expect([...backlog, ...rest].map((e) => e.id)).toEqual(['2', '3', '4', '5'])
      ac.abort()
      await follower.return(undefined)
      await feed.close()
    })

    it('does not repeat events that arrive live while the backlog is still being read', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      await append(handle.db, sid, 1200)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const first = await follower.next()
      await bus.publish(await append(handle.db, sid, 5, 1200))
      const rest = await take(follower, 1204)
      expect([first.value as SessionEvent, ...rest].map((e) => Number(e.id))).toEqual(Array.from({ length: 1205 }, (_, i) => i + 1))
      const extra = await Promise.race([follower.next().then(() => 'more'), Bun.sleep(200).then(() => 'none')])
      expect(extra).toBe('none')
      ac.abort()
      await feed.close()
    })

    it('fills a gap from the log when an announcement is lost', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const first = follower.next()
      await Bun.sleep(50)
      await append(handle.db, sid, 2) // committed but never announced
      await bus.publish(await append(handle.db, sid, 1, 2))
      const events = [(await first).value as SessionEvent, ...(await take(follower, 2))]
      expect(events.map((e) => e.id)).toEqual(['1', '2', '3'])
      ac.abort()
      await follower.return(undefined)
      await feed.close()
    })

    it('finds unannounced events by polling the log', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 50 })
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const pending = take(follower, 2)
      await Bun.sleep(20)
      await append(handle.db, sid, 2)
      expect((await pending).map((e) => e.id)).toEqual(['1', '2'])
      ac.abort()
      await follower.return(undefined)
      await feed.close()
    })

    it('ignores duplicate and out-of-order announcements', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const pending = take(follower, 3)
      await Bun.sleep(50)
      const events = await append(handle.db, sid, 3)
      await bus.publish([events[2], events[0], events[0], events[1], events[2]] as SessionEvent[])
      expect((await pending).map((e) => e.id)).toEqual(['1', '2', '3'])
      const extra = await Promise.race([follower.next().then(() => 'more'), Bun.sleep(200).then(() => 'none')])
      expect(extra).toBe('none')
      ac.abort()
      await feed.close()
    })

    it('keeps one upstream subscription per session however many streams follow it', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const followers = [0, 1, 2].map(() => feed.follow(sid, 0, ac.signal))
      const pendings = followers.map((f) => take(f, 1))
      await Bun.sleep(100)
      expect(feed.watchedSessions()).toBe(1)
      if (countSubscriptions) expect(await countSubscriptions(sid)).toBe(1)
      await bus.publish(await append(handle.db, sid, 1))
      for (const got of await Promise.all(pendings)) expect(got.map((e) => e.id)).toEqual(['1'])
      ac.abort()
      await Promise.all(followers.map((f) => f.return(undefined)))
      expect(feed.watchedSessions()).toBe(0)
      if (countSubscriptions) expect(await countSubscriptions(sid)).toBe(0)
      await feed.close()
    })

    it('ends a follower when its signal aborts', async () => {
      const feed = createEventFeed({ db: handle.db, bus, log: silentLogger(), pollMs: 60_000 })
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const next = follower.next()
      await Bun.sleep(50)
      ac.abort()
      expect((await next).done).toBe(true)
      expect(feed.watchedSessions()).toBe(0)
      await feed.close()
    })
  })
}

feedContract('the in-process bus', async () => createInProcessEventBus())

const { redisUrl, redisPrefix } = testServices()
describe.skipIf(!redisUrl)('with Redis', () => {
  let publisher: Redis
  beforeAll(async () => {
    publisher = await connectRedis(redisUrl as string, silentLogger())
  })
  afterAll(() => publisher.close())

  feedContract(
    'Redis pub/sub',
    () => createRedisEventBus(publisher, redisPrefix, silentLogger()),
    async (sid) => {
      const counts = (await publisher.sendCommand(['PUBSUB', 'NUMSUB', `${redisPrefix}ev:${sid}`])) as [string, number]
      return Number(counts[1])
    },
  )

  it('announces a commit’s events for a session in one message, in order, and ignores a malformed one', async () => {
    const handle = await primaryEngine().open()
    const bus = await createRedisEventBus(publisher, redisPrefix, silentLogger())
    try {
      const sid = await newSession(handle.db)
      const other = await newSession(handle.db)
      const heard: string[] = []
      await bus.subscribe(sid, (e) => heard.push(`${e.session_id}:${e.id}`))
      await bus.subscribe(other, (e) => heard.push(`${e.session_id}:${e.id}`))
      const messages: string[] = []
      const spy = publisher.duplicate()
      await spy.connect()
      await spy.pSubscribe(`${redisPrefix}ev:*`, (m) => messages.push(m))
      await publisher.publish(`${redisPrefix}ev:${sid}`, '[{"not":"an event"}]')
      await bus.publish([...(await append(handle.db, sid, 3)), ...(await append(handle.db, other, 1))])
      await Bun.sleep(150)
      expect(heard).toEqual([`${sid}:1`, `${sid}:2`, `${sid}:3`, `${other}:1`])
      // The malformed one, then one message per session.
      expect(messages.map((m) => (JSON.parse(m) as unknown[]).length)).toEqual([1, 3, 1])
      await spy.close()
    } finally {
      await bus.close()
      await handle.close()
    }
  })

  it('delivers an announcement from one process’s bus to another’s', async () => {
    const handle = await primaryEngine().open()
    const otherClient = await connectRedis(redisUrl as string, silentLogger())
    const sender = await createRedisEventBus(otherClient, redisPrefix, silentLogger())
    const receiver = await createRedisEventBus(publisher, redisPrefix, silentLogger())
    const feed = createEventFeed({ db: handle.db, bus: receiver, log: silentLogger(), pollMs: 60_000 })
    try {
      const sid = await newSession(handle.db)
      const ac = new AbortController()
      const follower = feed.follow(sid, 0, ac.signal)
      const pending = take(follower, 1)
      await Bun.sleep(100)
      await sender.publish(await append(handle.db, sid, 1))
      expect((await pending).map((e) => e.id)).toEqual(['1'])
      ac.abort()
      await follower.return(undefined)
    } finally {
      await feed.close()
      await receiver.close()
      await sender.close()
      await otherClient.close()
      await handle.close()
    }
  })
})

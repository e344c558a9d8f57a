/**
 * Issue 14 item 7: tables that only grew. The periodic maintenance removes `actor_registry`
 * rows of sessions that ended (after a short retention) and `actor_nodes` rows of departed
 * nodes, in bounded batches; live sessions' actors and live nodes stay.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { createInProcessTransport, DEPARTED_NODE_RETENTION_MS, maintenanceSchedules, type PeriodicContext } from '../../src/actors/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { ENDED_SESSION_ACTORS_RETENTION_MS, endedSessionActorsSchedule, pruneEndedSessionActors } from '../../src/orchestration/index.ts'
import { testEngines } from '../support/engines.ts'
import { newTeam } from '../orchestration/support.ts'

// Opening a database on a loaded machine can take longer than bun's 5 s default.
setDefaultTimeout(60_000)

const ROLES = ['software_architect', 'backend_developer', 'database_administrator']

for (const engine of testEngines()) {
  describe(`tables that only grew (${engine.name})`, () => {
    let db: DatabaseHandle
    beforeAll(async () => {
      db = await engine.open()
    })
    afterAll(async () => {
      await db?.close()
    })

    const context = (): PeriodicContext => ({ db: db.db, log: silentLogger(), nodeId: 'test', signal: new AbortController().signal, tell: async () => {} })

    /** A session with an agent registry row per role; `endedAgoMs` null keeps it active. */
    const session = async (endedAgoMs: number | null): Promise<number> => {
      const owner = await newTeam(db.db)
      const row = await db.db
        .insertInto('execution_sessions')
        .values({ team_id: owner.teamId, user_id: owner.userId, feature_name: 'Invoice export', status: endedAgoMs === null ? 'active' : 'completed' })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (endedAgoMs !== null) {
        await sql`update execution_sessions set ended_at = now() - make_interval(secs => ${endedAgoMs / 1000}) where id = ${row.id}`.execute(db.db)
      }
      await db.db
        .insertInto('actor_registry')
        .values(ROLES.map((role) => ({ address: `agent/${row.id}/${role}`, partition: 0, kind: 'agent', supervisor: `session/${row.id}` })))
        .execute()
      return row.id
    }
    const rowsOf = async (sid: number): Promise<number> =>
      (await db.db.selectFrom('actor_registry').select('address').where('address', 'like', `agent/${sid}/%`).execute()).length

    it('removes the agents’ registry rows of sessions ended past the retention, and of sessions that are gone', async () => {
      const old = await session(ENDED_SESSION_ACTORS_RETENTION_MS + 60_000)
      const recent = await session(1000)
      const active = await session(null)
      const gone = 999_000_000 + Math.floor(Math.random() * 1000)
      await db.db.insertInto('actor_registry').values({ address: `agent/${gone}/software_architect`, partition: 0, kind: 'agent', supervisor: null }).execute()
      await db.db.insertInto('actor_registry').values({ address: `rec/${old}/other`, partition: 0, kind: 'rec', supervisor: null }).execute()
      await endedSessionActorsSchedule().run(context())
      expect([await rowsOf(old), await rowsOf(recent), await rowsOf(active), await rowsOf(gone)]).toEqual([0, 3, 3, 0])
      // Other kinds of actor are not the sessions' to remove.
      expect(await db.db.selectFrom('actor_registry').select('address').where('address', '=', `rec/${old}/other`).execute()).toHaveLength(1)
    })

    it('removes them in bounded batches', async () => {
      // Whatever an earlier run left goes first, so the batches below are this test's.
      while ((await pruneEndedSessionActors(db.db, ENDED_SESSION_ACTORS_RETENTION_MS, 1000)) > 0) {}
      const a = await session(ENDED_SESSION_ACTORS_RETENTION_MS + 60_000)
      const b = await session(ENDED_SESSION_ACTORS_RETENTION_MS + 60_000)
      expect(await pruneEndedSessionActors(db.db, ENDED_SESSION_ACTORS_RETENTION_MS, 4)).toBe(4)
      expect((await rowsOf(a)) + (await rowsOf(b))).toBe(2)
      expect(await pruneEndedSessionActors(db.db, ENDED_SESSION_ACTORS_RETENTION_MS, 4)).toBe(2)
      expect((await rowsOf(a)) + (await rowsOf(b))).toBe(0)
    })

    it('removes departed nodes once their heartbeat is past the retention; live ones stay', async () => {
      const tag = Math.random().toString(36).slice(2, 8)
      const node = (id: string, agoMs: number) =>
        sql`insert into actor_nodes (node_id, started_at, heartbeat_at, info) values (${id}, now() - interval '1 day', now() - make_interval(secs => ${agoMs / 1000}), '{}')`.execute(db.db)
      for (let i = 0; i < 3; i++) await node(`dead-${tag}-${i}`, DEPARTED_NODE_RETENTION_MS + 60_000)
      await node(`recent-${tag}`, 30_000)
      await node(`live-${tag}`, 0)
      const prune = maintenanceSchedules(createInProcessTransport(), 8).find((s) => s.name === 'sage.prune-nodes')
      await prune?.run(context())
      const left = await db.db.selectFrom('actor_nodes').select('node_id').where('node_id', 'like', `%-${tag}%`).orderBy('node_id').execute()
      expect(left.map((r) => r.node_id)).toEqual([`live-${tag}`, `recent-${tag}`])
    })
  })
}

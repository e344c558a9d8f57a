import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Kysely } from 'kysely'
import { dashboardFor, roleChartStats } from '../../src/dashboard/index.ts'
import type { Database, DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'
import { uniqueName } from '../support/http.ts'

setDefaultTimeout(60_000)

const T = Date.parse('2026-01-05T10:00:00.000Z')
const after = (ms: number): Date => new Date(T + ms)

/** A user's team with one ended session of 2.5 s whose architect tasks took 0.2 s and 0.4 s (`duration_seconds` 0 for both: the column holds whole seconds). */
async function seed(db: Kysely<Database>): Promise<number> {
  const name = uniqueName('precise')
  const me = await db.insertInto('users').values({ username: name, email: `${name}@example.test`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: 'Precise', owner_id: me.id }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('team_memberships').values({ team_id: team.id, user_id: me.id, role: 'owner' }).execute()
  const session = await db
    .insertInto('execution_sessions')
    .values({ team_id: team.id, user_id: me.id, feature_name: 'F', status: 'completed', started_at: after(0), ended_at: after(2500), duration_seconds: 3 })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [start, end, seconds] of [
    [0, 200, 0],
    [1000, 1400, 0],
  ] as const) {
    await db
      .insertInto('agent_tasks')
      .values({ session_id: session.id, agent_role: 'software_architect', status: 'completed', started_at: after(start), completed_at: after(end), duration_seconds: seconds })
      .execute()
  }
  return me.id
}

for (const engine of testEngines()) {
  describe(`dashboard durations from timestamps (${engine.name})`, () => {
    let handle: DatabaseHandle
    let me: number

    beforeAll(async () => {
      handle = await engine.open()
      me = await seed(handle.db)
    }, 60_000)

    afterAll(async () => {
      await handle.db.deleteFrom('teams').where('name', '=', 'Precise').execute()
      await handle.close()
    })

    it('measures a role’s mean task duration from started/completed, not the whole-second column', async () => {
      const roles = await roleChartStats(handle.db, { userId: me, teamId: null })
      expect(roles.find((r) => r.agent_role === 'software_architect')?.mean_duration_seconds).toBeCloseTo(0.3, 6)
    })

    it('measures the mean session duration from started/ended', async () => {
      expect((await dashboardFor(handle.db, me)).avg_session_seconds).toBeCloseTo(2.5, 6)
    })
  })
}

import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { decodeCursor, listSessionPage, listSessionStarters, readSessionListPage } from '../../src/sessions/index.ts'
import { listTeamsOf } from '../../src/teams/index.ts'
import { testEngines } from '../support/engines.ts'

setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`session list keyset pages (${engine.name})`, () => {
    let handle: DatabaseHandle
    let teamA: number
    let teamB: number
    let ada: number
    let bob: number
    const tag = `kp${Math.random().toString(36).slice(2, 8)}`

    beforeAll(async () => {
      handle = await engine.open()
      const { db } = handle
      const user = (name: string) =>
        db
          .insertInto('users')
          .values({ username: `${tag}${name}`, email: `${tag}${name}@example.test`, password_hash: 'x' })
          .returning('id')
          .executeTakeFirstOrThrow()
      ada = (await user('ada')).id
      bob = (await user('bob')).id
      const team = (name: string) =>
        db.insertInto('teams').values({ name: `${tag}${name}`, owner_id: ada, is_shared: true }).returning('id').executeTakeFirstOrThrow()
      teamA = (await team('a')).id
      teamB = (await team('b')).id
      await db.insertInto('team_memberships').values({ team_id: teamB, user_id: bob, role: 'member' }).execute()
      // 30 sessions per team, alternating starters, plans and statuses; names "Feature 00" … "Feature 29".
      for (const teamId of [teamA, teamB]) {
        await sql`
          insert into execution_sessions (team_id, user_id, feature_name, plan, status, started_at)
          select ${teamId}::bigint, case when g % 2 = 0 then ${ada}::bigint else ${bob}::bigint end, 'Feature ' || lpad(g::text, 2, '0') || ' 100%_off',
                 (array['dag','parallel','sequential'])[g % 3 + 1], (array['active','completed','failed','cancelled'])[g % 4 + 1], now()
          from generate_series(0, 29) as g`.execute(db)
      }
    })

    afterAll(async () => {
      await handle?.close()
    })

    it('walks every session of both teams newest first in pages of 25, each id once, and ends with a null cursor', async () => {
      const seen: number[] = []
      let after: number | undefined
      let pages = 0
      for (;;) {
        const page = await listSessionPage(handle.db, { team_ids: [teamA, teamB], limit: 25, after })
        pages++
        seen.push(...page.sessions.map((s) => s.id))
        if (page.next_cursor === null) break
        after = decodeCursor(page.next_cursor) ?? undefined
      }
      expect(pages).toBe(3)
      expect(seen).toHaveLength(60)
      expect(new Set(seen).size).toBe(60)
      expect(seen).toEqual([...seen].sort((a, b) => b - a))
    })

    it('filters by team, status, plan and starter together, and names the starter', async () => {
      const page = await listSessionPage(handle.db, { team_ids: [teamB], status: 'failed', plan: 'sequential', started_by: bob, limit: 25 })
      // g in 0..29 with g%4=2 (failed), g%3=2 (sequential), g odd (bob): none, since g%4=2 is even. Ada then:
      expect(page.sessions).toHaveLength(0)
      const ada2 = await listSessionPage(handle.db, { team_ids: [teamB], status: 'failed', plan: 'sequential', started_by: ada, limit: 25 })
      // g%4=2 and g%3=2: g = 2, 14, 26
      expect(ada2.sessions.map((s) => s.feature_name.slice(0, 10))).toEqual(['Feature 26', 'Feature 14', 'Feature 02'])
      expect(ada2.sessions.every((s) => s.team_id === teamB && s.started_by === `${tag}ada`)).toBe(true)
    })

    it('searches the feature name as plain text, case-insensitively: % and _ match only themselves', async () => {
      const byName = await listSessionPage(handle.db, { team_ids: [teamA], q: 'feature 1', limit: 25 })
      expect(byName.sessions).toHaveLength(10)
      const literal = await listSessionPage(handle.db, { team_ids: [teamA], q: '100%_OFF', limit: 25 })
      expect(literal.sessions).toHaveLength(25)
      expect((await listSessionPage(handle.db, { team_ids: [teamA], q: '1_0', limit: 25 })).sessions).toHaveLength(0)
    })

    it('keeps the filters across pages: the second page of one team holds only that team’s older sessions', async () => {
      const first = await listSessionPage(handle.db, { team_ids: [teamA], limit: 25 })
      expect(first.next_cursor).not.toBeNull()
      const second = await listSessionPage(handle.db, { team_ids: [teamA], limit: 25, after: decodeCursor(first.next_cursor ?? '') ?? undefined })
      expect(second.sessions).toHaveLength(5)
      expect(second.next_cursor).toBeNull()
      expect(second.sessions.every((s) => s.team_id === teamA && s.id < (first.sessions.at(-1)?.id ?? 0))).toBe(true)
    })

    it('finds nothing for no teams, and lists the owners and members as possible starters', async () => {
      expect(await listSessionPage(handle.db, { team_ids: [], limit: 25 })).toEqual({ sessions: [], next_cursor: null })
      expect((await listSessionStarters(handle.db, [teamA])).map((u) => u.username)).toEqual([`${tag}ada`])
      expect((await listSessionStarters(handle.db, [teamA, teamB])).map((u) => u.username)).toEqual([`${tag}ada`, `${tag}bob`])
    })

    it('reads the /sessions page in one statement: the same teams, starters and page as the separate reads', async () => {
      const { db } = handle
      const other = (await db.insertInto('teams').values({ name: `${tag}other`, owner_id: bob }).returning('id').executeTakeFirstOrThrow()).id
      for (const [viewer, filter] of [
        [ada, { limit: 25 }],
        [ada, { limit: 25, after: (await listSessionPage(db, { team_ids: [teamA, teamB], limit: 25 })).sessions.at(-1)?.id }],
        [bob, { limit: 25, team: teamB, status: 'failed', plan: 'dag', started_by: bob }],
        [bob, { limit: 5, q: '100%_' }],
        [bob, { limit: 25, team: teamA }],
      ] as const) {
        const teams = await listTeamsOf(db, viewer)
        const teamIds = teams.map((t) => t.id)
        const { team, ...rest } = filter as { team?: number; limit: number }
        const scope = team === undefined ? teamIds : teamIds.filter((id) => id === team)
        const read = await readSessionListPage(db, viewer, filter)
        expect(read.teams).toEqual(teams.map((t) => ({ id: t.id, name: t.name })))
        expect(read.starters).toEqual(await listSessionStarters(db, teamIds))
        expect(read.page).toEqual(await listSessionPage(db, { team_ids: scope, ...rest }))
      }
      expect((await readSessionListPage(db, bob, { limit: 25 })).teams.map((t) => t.id)).toContain(other)
      expect((await readSessionListPage(db, bob, { limit: 25, team: teamA })).page.sessions).toEqual([])
    })
  })
}

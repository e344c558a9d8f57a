import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { deleteExpiredAuthRows } from '../../src/auth/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

for (const engine of testEngines()) {
  describe(`sweeping expired auth rows (${engine.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await engine.open()
    })
    afterAll(() => handle.close())

    it('deletes expired login sessions and rate-limit windows, and nothing that is still live', async () => {
      const tag = `sweep${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
      const user = await handle.db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
      const now = new Date()
      const before = new Date(now.getTime() - 60_000)
      const after = new Date(now.getTime() + 3_600_000)
      await handle.db
        .insertInto('auth_sessions')
        .values([
          { id: `${tag}-old`, user_id: user.id, csrf_token: 'c', expires_at: before },
          { id: `${tag}-live`, user_id: user.id, csrf_token: 'c', expires_at: after },
        ])
        .execute()
      await handle.db
        .insertInto('rate_limits')
        .values([
          { key: `${tag}-old`, count: 3, window_ends_at: before },
          { key: `${tag}-live`, count: 1, window_ends_at: after },
        ])
        .execute()
      const swept = await deleteExpiredAuthRows(handle.db, now)
      expect(swept.sessions).toBeGreaterThanOrEqual(1)
      expect(swept.rateLimits).toBeGreaterThanOrEqual(1)
      const sessions = await handle.db.selectFrom('auth_sessions').select('id').where('id', 'like', `${tag}%`).execute()
      const limits = await handle.db.selectFrom('rate_limits').select('key').where('key', 'like', `${tag}%`).execute()
      expect(sessions.map((r) => r.id)).toEqual([`${tag}-live`])
      expect(limits.map((r) => r.key)).toEqual([`${tag}-live`])
    })
  })
}

import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import { connectDatabase } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const pgUrl = testServices().postgresUrl

describe.skipIf(!pgUrl)('PostgreSQL connections', () => {
  it('run named statements with generic plans', async () => {
    const handle = await connectDatabase({ databaseUrl: pgUrl as string, log: silentLogger() })
    try {
      const { rows } = await sql<{ mode: string }>`select current_setting('plan_cache_mode') as mode where ${1} = 1`.execute(handle.db)
      expect(rows[0]?.mode).toBe('force_generic_plan')
    } finally {
      await handle.close()
    }
  })
})

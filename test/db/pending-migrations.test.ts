import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readdirSync } from 'node:fs'
import { sql } from 'kysely'
import { connectDatabase, MIGRATIONS_DIR, migrateToLatest, pendingMigrations } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'

// PGlite creation and every migration: more than bun's 5 s default.
setDefaultTimeout(60_000)

const names = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort()

describe('the up-to-date check that lets a start skip the migrator', () => {
  it('finds every migration pending before the first run (no migration table: null) and none after', async () => {
    const handle = await connectDatabase({ log: silentLogger() })
    try {
      expect(await pendingMigrations(handle.db)).toBeNull()
      await migrateToLatest(handle.db)
      expect(await pendingMigrations(handle.db)).toEqual([])
      const last = names.at(-1) as string
      await sql`delete from kysely_migration where name = ${last}`.execute(handle.db)
      expect(await pendingMigrations(handle.db)).toEqual([last])
    } finally {
      await handle.close()
    }
  })

  it('leaves an applied migration missing from the files to the migrator, which refuses it', async () => {
    const handle = await connectDatabase({ log: silentLogger() })
    try {
      await migrateToLatest(handle.db)
      await sql`insert into kysely_migration (name, timestamp) values ('0000_removed_since', ${new Date().toISOString()})`.execute(handle.db)
      expect(await pendingMigrations(handle.db)).toBeNull()
      await expect(migrateToLatest(handle.db)).rejects.toThrow(/corrupted migrations/)
    } finally {
      await handle.close()
    }
  })
})

import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql } from 'kysely'
import pg from 'pg'
import { connectDatabase } from '../../src/db/index.ts'
import { autovacuumRunning, maintainTables, type TableMaintenance } from '../../src/db/table-maintenance.ts'
import { silentLogger } from '../../src/log/index.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const pgUrl = testServices().postgresUrl

describe.skipIf(!pgUrl)('table maintenance on PostgreSQL', () => {
  it('analyzes a grown table, and a cached generic plan made while it was small turns into an index scan', async () => {
    const scratch = await createScratchDatabase('stats')
    const handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
    // A second connection keeps a named prepared statement, as the node's pool does.
    const client = new pg.Client({ connectionString: scratch.url })
    await client.connect()
    try {
      const db = handle.db
      await sql`create table lookups (id bigserial primary key, owner bigint not null, note text not null)`.execute(db)
      await sql`create index lookups_owner on lookups (owner)`.execute(db)
      // Statistics taken while the table was tiny: a scan of its one page is the cheapest plan.
      await sql`insert into lookups (owner, note) select g % 50, 'n' from generate_series(1, 20) g`.execute(db)
      await sql`analyze lookups`.execute(db)
      await client.query('set plan_cache_mode = force_generic_plan')
      await client.query('prepare by_owner(bigint) as select id from lookups where owner = $1')
      const plan = async (): Promise<string> => (await client.query('explain execute by_owner(7)')).rows.map((r) => r['QUERY PLAN']).join('\n')
      expect(await plan()).toContain('Seq Scan')
      await sql`insert into lookups (owner, note) select g % 5000, repeat('x', 40) from generate_series(1, 60000) g`.execute(db)
      // With stale statistics the cached plan stays what it was.
      expect(await plan()).toContain('Seq Scan')
      // Activity counts reach pg_stat_user_tables within about a second of the insert.
      let done: TableMaintenance = { analyzed: [], vacuumed: [] }
      for (let i = 0; i < 50 && !done.analyzed.includes('lookups'); i++) {
        done = await maintainTables(db)
        if (!done.analyzed.includes('lookups')) await Bun.sleep(100)
      }
      expect(done.analyzed).toContain('lookups')
      expect(await plan()).toMatch(/Index (Only )?Scan|Bitmap Index Scan/)
      // Nothing changed since: the next round leaves the table alone.
      expect((await maintainTables(db)).analyzed).not.toContain('lookups')
      const { rows } = await sql<{ launchers: number }>`select count(*)::int as launchers from pg_stat_activity where backend_type = 'autovacuum launcher'`.execute(db)
      expect(await autovacuumRunning(db)).toBe(rows[0]?.launchers === 1)
    } finally {
      await client.end()
      await handle.close()
      await scratch.drop()
    }
  })

  it('vacuums a table whose deleted rows pass the threshold', async () => {
    const scratch = await createScratchDatabase('vac')
    const handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
    try {
      const db = handle.db
      await sql`create table churn (id bigserial primary key, body text not null)`.execute(db)
      await sql`insert into churn (body) select 'b' from generate_series(1, 5000) g`.execute(db)
      await sql`analyze churn`.execute(db)
      await sql`delete from churn where id <= 4000`.execute(db)
      let done: TableMaintenance = { analyzed: [], vacuumed: [] }
      for (let i = 0; i < 50 && !done.vacuumed.includes('churn'); i++) {
        done = await maintainTables(db)
        if (!done.vacuumed.includes('churn')) await Bun.sleep(100)
      }
      expect(done.vacuumed).toContain('churn')
      const { rows } = await sql<{ dead: number }>`select n_dead_tup::int as dead from pg_stat_user_tables where relname = 'churn'`.execute(db)
      expect(rows[0]?.dead).toBe(0)
    } finally {
      await handle.close()
      await scratch.drop()
    }
  })
})

describe('table maintenance on PGlite', () => {
  it('runs on the embedded database, whose autovacuum never runs', async () => {
    const handle = await connectDatabase({ log: silentLogger() })
    try {
      expect(await autovacuumRunning(handle.db)).toBe(false)
      await sql`create table t (id serial primary key)`.execute(handle.db)
      await sql`insert into t select from generate_series(1, 500)`.execute(handle.db)
      let done: TableMaintenance = { analyzed: [], vacuumed: [] }
      for (let i = 0; i < 50 && !done.analyzed.includes('t'); i++) {
        done = await maintainTables(handle.db)
        if (!done.analyzed.includes('t')) await Bun.sleep(100)
      }
      expect(done.analyzed).toContain('t')
      const { rows } = await sql<{ tuples: number }>`select reltuples::int as tuples from pg_class where relname = 't'`.execute(handle.db)
      expect(rows[0]?.tuples).toBe(500)
    } finally {
      await handle.close()
    }
  })
})

import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { connectDatabase, MIGRATIONS_DIR, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const migrationNames = readdirSync(MIGRATIONS_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort()

describe('migrations on PGlite', () => {
  it('applies every migration in order on an empty database, then nothing the second time', async () => {
    const handle = await connectDatabase({ log: silentLogger() })
    try {
      expect((await migrateToLatest(handle.db)).applied).toEqual(migrationNames)
      expect((await migrateToLatest(handle.db)).applied).toEqual([])
    } finally {
      await handle.close()
    }
  })

  it('keeps data across a restart of the same data directory', async () => {
    const dir = join(process.env.TMPDIR ?? '/tmp', `sage-pglite-${Date.now()}-${process.pid}`)
    const first = await connectDatabase({ dataDir: dir, log: silentLogger() })
    await migrateToLatest(first.db)
    await first.db.insertInto('users').values({ username: 'persisted', email: 'p@example.com', password_hash: 'x' }).execute()
    await first.close()
    const second = await connectDatabase({ dataDir: dir, log: silentLogger() })
    try {
      expect((await migrateToLatest(second.db)).applied).toEqual([])
      const row = await second.db.selectFrom('users').select('username').executeTakeFirst()
      expect(row?.username).toBe('persisted')
    } finally {
      await second.close()
      await Bun.$`rm -rf ${dir}`.quiet()
    }
  })

  it('refuses a second process on a data directory that is in use', async () => {
    const dir = join(process.env.TMPDIR ?? '/tmp', `sage-pglite-lock-${Date.now()}-${process.pid}`)
    const holder = Bun.spawn(['bun', '-e', `await Bun.write(${JSON.stringify(join(dir, 'pglite.lock'))}, String(process.pid)); console.log('ready'); await Bun.sleep(30000)`], { stdout: 'pipe' })
    try {
      const reader = holder.stdout.getReader()
      await reader.read()
      await expect(connectDatabase({ dataDir: dir, log: silentLogger() })).rejects.toThrow(/Another Sage Mode process \(pid \d+\) is using this data directory/)
    } finally {
      holder.kill()
      await holder.exited
      await Bun.$`rm -rf ${dir}`.quiet()
    }
  })
})

const pgUrl = testServices().postgresUrl

describe.skipIf(!pgUrl)('migrations on PostgreSQL', () => {
  it('applies every migration on a fresh database, then nothing the second time', async () => {
    const scratch = await createScratchDatabase('mig')
    const handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
    try {
      expect((await migrateToLatest(handle.db)).applied).toEqual(migrationNames)
      expect((await migrateToLatest(handle.db)).applied).toEqual([])
    } finally {
      await handle.close()
      await scratch.drop()
    }
  })

  it('lets two processes migrate the same database at once: each migration is applied exactly once', async () => {
    const scratch = await createScratchDatabase('race')
    try {
      const runs = [0, 1].map(() =>
        Bun.spawn(['bun', 'scripts/migrate.ts'], {
          env: { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' },
          stdout: 'pipe',
          stderr: 'pipe',
        }),
      )
      const outputs = await Promise.all(runs.map(async (p) => ({ code: await p.exited, out: await new Response(p.stdout).text(), err: await new Response(p.stderr).text() })))
      for (const o of outputs) expect({ code: o.code, err: o.err }).toEqual({ code: 0, err: '' })
      const appliedLines = outputs.flatMap((o) => o.out.split('\n').filter((l) => l.includes('applied ')))
      expect(appliedLines.map((l) => l.replace(/^.*applied /, '')).sort()).toEqual(migrationNames)
      expect(outputs.some((o) => o.out.includes('already up to date'))).toBe(true)

      const handle = await connectDatabase({ databaseUrl: scratch.url, log: silentLogger() })
      try {
        const { rows } = await sql<{ name: string; n: number }>`select name, count(*)::int as n from kysely_migration group by name order by name`.execute(handle.db)
        expect(rows).toEqual(migrationNames.map((name) => ({ name, n: 1 })))
      } finally {
        await handle.close()
      }
    } finally {
      await scratch.drop()
    }
  })
})

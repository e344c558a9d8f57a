/**
 * Issue 23 item 2: dead letters are visible to operators: `bun run sage dead-letters` lists
 * them (newest first, table or JSON) and `/metrics` counts them by actor kind.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/index.ts'
import { registerAppGauges } from '../../src/http/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { createMetricsRegistry } from '../../src/metrics/index.ts'
import { runSage } from '../cli/cli-support.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

setDefaultTimeout(60_000)

/** A database the `sage` child process can open: a scratch PostgreSQL database, or a PGlite data directory (closed while it runs). */
interface Target {
  name: string
  env: Record<string, string>
  open(): Promise<DatabaseHandle>
  drop(): Promise<void>
}

async function targets(): Promise<Target[]> {
  const out: Target[] = []
  if (testServices().postgresUrl) {
    const scratch = await createScratchDatabase('deadletters')
    out.push({ name: 'postgres', env: { DATABASE_URL: scratch.url }, open: () => connectDatabase({ databaseUrl: scratch.url, log: silentLogger() }), drop: () => scratch.drop() })
  }
  const dir = mkdtempSync(join(tmpdir(), 'sage-deadletters-'))
  out.push({ name: 'pglite', env: { SAGE_DATA_DIR: dir }, open: () => connectDatabase({ dataDir: dir, log: silentLogger() }), drop: async () => rmSync(dir, { recursive: true, force: true }) })
  return out
}

const all = await targets()
afterAll(async () => {
  for (const t of all) await t.drop()
})

for (const target of all) {
  describe(`dead letters for operators (${target.name})`, () => {
    beforeAll(async () => {
      const handle = await target.open()
      await migrateToLatest(handle.db)
      const letter = (actor: string | null, type: string | null, reason: string) => ({ partition: 3, message_id: `m-${Math.random()}`, actor, message_type: type, reason, attempts: 5, envelope: '{}' })
      await handle.db.insertInto('actor_dead_letters').values(letter('agent/7/backend_developer', 'sage.job-completed', 'handler failed 5 times: unsupported Unicode escape sequence')).execute()
      await handle.db.insertInto('actor_dead_letters').values(letter('session/7', 'session.task-succeeded', 'handler failed 5 times:\nboom')).execute()
      await handle.db.insertInto('actor_dead_letters').values(letter(null, null, 'invalid envelope')).execute()
      const metrics = createMetricsRegistry()
      registerAppGauges(metrics, handle.db)
      metricsText = await metrics.render()
      await handle.close()
    })
    let metricsText = ''

    it('counts them on /metrics by the kind of actor they were for', () => {
      expect(metricsText).toContain('sage_dead_letters{kind="agent"} 1')
      expect(metricsText).toContain('sage_dead_letters{kind="session"} 1')
      expect(metricsText).toContain('sage_dead_letters{kind=""} 1')
    })

    it('lists them newest first with `sage dead-letters`', async () => {
      const run = await runSage(['dead-letters'], target.env)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const lines = run.stdout.trim().split('\n')
      expect(lines[0]).toMatch(/^AT \(UTC\)\s+ACTOR\s+MESSAGE\s+TRIES\s+REASON$/)
      expect(lines[1]).toContain('invalid envelope')
      expect(lines[2]).toMatch(/session\/7\s+session\.task-succeeded\s+5\s+handler failed 5 times: boom$/)
      expect(lines[3]).toContain('agent/7/backend_developer')
      expect(lines.at(-1)).toBe('3 dead letter(s) recorded (unknown 1, agent 1, session 1); showing the latest 3')
    })

    it('prints JSON with --json, limited by --limit', async () => {
      const run = await runSage(['dead-letters', '--json', '--limit', '2'], target.env)
      expect(run.code).toBe(0)
      const body = JSON.parse(run.stdout) as { dead_letters: Array<Record<string, unknown>>; total: number }
      expect(body.total).toBe(3)
      expect(body.dead_letters.map((l) => l.actor)).toEqual([null, 'session/7'])
      expect(body.dead_letters[1]).toMatchObject({ message_type: 'session.task-succeeded', attempts: 5, partition: 3, reason: 'handler failed 5 times:\nboom' })
    })

    it('refuses a bad --limit as bad usage', async () => {
      const run = await runSage(['dead-letters', '--limit', 'lots'], target.env)
      expect(run.code).toBe(2)
    })
  })
}

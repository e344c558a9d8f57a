/**
 * Preloaded once per `bun test` run (bunfig.toml). Finds PostgreSQL and Redis, makes
 * a fresh database and a Redis key prefix for this run, and removes both at the end.
 * A missing service skips the suites that need it, with a line saying so; under
 * CI=true a missing service fails the run instead.
 */
import { afterAll } from 'bun:test'
import { connectDatabase, migrateToLatest } from '../src/db/index.ts'
import { silentLogger } from '../src/log/index.ts'
import {
  createScratchDatabase,
  deleteRedisKeys,
  PG_ADMIN_URL,
  postgresReachable,
  REDIS_TEST_URL,
  redisReachable,
  withPgAdmin,
} from './support/services.ts'

process.env.TZ = 'UTC'

// Pages and browser tests need htmx in public/vendor and the compiled CSS.
const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: `${import.meta.dir}/..`, stderr: 'pipe' })
if (build.exitCode !== 0) throw new Error(`building assets failed: ${build.stderr.toString()}`)
const ci = process.env.CI === 'true' || process.env.CI === '1'

const [pgUp, redisUp] = await Promise.all([postgresReachable(), redisReachable()])
const missing: string[] = []
if (!pgUp) missing.push(`PostgreSQL is not reachable at ${PG_ADMIN_URL}: database suites run on PGlite only`)
if (!redisUp) missing.push(`Redis is not reachable at ${REDIS_TEST_URL}: suites that need Redis are skipped`)
if (missing.length > 0) {
  if (ci) throw new Error(`CI=true and a service is missing:\n- ${missing.join('\n- ')}`)
  for (const line of missing) console.warn(`[test setup] ${line}`)
}

if (pgUp) {
  // Databases left by a run that was killed more than an hour ago.
  await withPgAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like 'sage_test_%'`,
    )
    for (const { datname } of rows) {
      const stamp = Number.parseInt(datname.split('_').at(-2) ?? '', 36)
      if (Number.isFinite(stamp) && Date.now() - stamp > 3_600_000) await c.query(`drop database if exists "${datname}" with (force)`)
    }
  })
  const run = await createScratchDatabase('run')
  const handle = await connectDatabase({ databaseUrl: run.url, log: silentLogger() })
  await migrateToLatest(handle.db)
  await handle.close()
  process.env.SAGE_TEST_PG_URL = run.url
  afterAll(() => run.drop())
}

if (redisUp) {
  const prefix = `sage-test:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}:`
  process.env.SAGE_TEST_REDIS_URL = REDIS_TEST_URL
  process.env.SAGE_TEST_REDIS_PREFIX = prefix
  afterAll(() => deleteRedisKeys(REDIS_TEST_URL, prefix).then(() => undefined))
}

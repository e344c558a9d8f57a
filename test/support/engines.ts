import { type Config, parseConfig } from '../../src/config/index.ts'
import { connectDatabase, type DatabaseHandle, migrateToLatest } from '../../src/db/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { testServices } from './services.ts'

/** A database engine tests can run against. */
export interface TestEngine {
  name: 'postgres' | 'pglite'
  /** A migrated database: the run's PostgreSQL database, or a fresh in-memory PGlite. */
  open(): Promise<DatabaseHandle>
}

const pglite: TestEngine = {
  name: 'pglite',
  async open() {
    const handle = await connectDatabase({ log: silentLogger() })
    await migrateToLatest(handle.db)
    return handle
  },
}

/** PGlite always, and PostgreSQL when the run has a server: loop over these as Kysely's suite loops over DIALECTS. */
export function testEngines(): TestEngine[] {
  const url = testServices().postgresUrl
  if (!url) return [pglite]
  return [
    { name: 'postgres', open: () => connectDatabase({ databaseUrl: url, log: silentLogger(), poolSize: 5 }) },
    pglite,
  ]
}

/** The engine integration tests use: PostgreSQL when reachable, PGlite otherwise. */
export function primaryEngine(): TestEngine {
  return testEngines()[0] as TestEngine
}

/** A valid config for tests: defaults plus `env`. Throws on a bad value. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  const parsed = parseConfig({ LOG_LEVEL: 'silent', PORT: '0', NODE_ID: 'test-node', ...env })
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'))
  return parsed.config
}

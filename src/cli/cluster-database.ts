import type { Config } from '../config/index.ts'
import type { DatabaseHandle } from '../db/index.ts'
import { EXIT } from './cli-error.ts'
import { type CliIo, warn } from './cli-io.ts'

/**
 * Runs an operator's command against the cluster's database, opened with the service's own
 * environment (DATABASE_URL or SAGE_DATA_DIR), so it works while the web tier is down. Answers
 * EXIT.usage for a bad configuration and EXIT.failed when the database cannot be opened (PGlite
 * allows one process per data directory: the embedded service may hold it); closes it after `run`.
 */
export async function withClusterDatabase(io: CliIo, run: (database: DatabaseHandle, config: Config) => Promise<number>): Promise<number> {
  // Loaded here so the other commands do not pay for the database drivers.
  const [{ parseConfig }, { connectDatabase }, { createLogger }] = await Promise.all([
    import('../config/index.ts'),
    import('../db/index.ts'),
    import('../log/index.ts'),
  ])
  const parsed = parseConfig(io.env)
  if (!parsed.ok) {
    for (const line of parsed.errors) warn(io, `invalid configuration: ${line}`)
    return EXIT.usage
  }
  const { config } = parsed
  let database: DatabaseHandle
  try {
    database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SAGE_DATA_DIR, log: createLogger('error') })
  } catch (error) {
    warn(io, `cannot open the database: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.failed
  }
  try {
    return await run(database, config)
  } finally {
    await database.close()
  }
}

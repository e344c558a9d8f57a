/** `bun run migrate`: applies pending migrations and prints what it applied. */
import { parseConfig } from '../src/config/index.ts'
import { connectDatabase, migrateToLatest } from '../src/db/index.ts'
import { createLogger } from '../src/log/index.ts'

const parsed = parseConfig(process.env)
if (!parsed.ok) {
  for (const line of parsed.errors) console.error(`sage-mode: invalid configuration: ${line}`)
  process.exit(2)
}
const { config } = parsed
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL)
const database = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.SAGE_DATA_DIR, log })
try {
  const { applied } = await migrateToLatest(database.db)
  const where = database.engine === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.SAGE_DATA_DIR}`
  if (applied.length === 0) console.log(`${where}: already up to date, nothing applied.`)
  else for (const name of applied) console.log(`${where}: applied ${name}`)
} catch (error) {
  console.error(`sage-mode: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await database.close()
}

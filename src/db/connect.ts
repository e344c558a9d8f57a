import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { Kysely, type PGlite, PGliteDialect, PostgresDialect } from 'kysely'
import type { Logger } from '../log/index.ts'
import { acquireDirLock, type DirLock } from './dir-lock.ts'
import { type PgliteStarting, startPgliteThread } from './pglite-start.ts'
import { PGLITE_TEMPLATE_DIR, seedFromTemplate } from './pglite-template.ts'
import { createStatementNames, useNamedStatements } from './prepared-statements.ts'
import type { Database } from './schema.ts'

/** Distinct SQL texts run as named prepared statements (per process; see prepared-statements.ts). */
const MAX_NAMED_STATEMENTS = 400

export interface ConnectOptions {
  /** A `postgres://` URL: use PostgreSQL through `pg`. Without it, PGlite is used. */
  databaseUrl?: string | undefined
  /** PGlite's files live in `<dataDir>/pglite`; omit for an in-memory database (tests). */
  dataDir?: string | undefined
  /**
   * Where a pre-made PGlite data directory is looked for when `<dataDir>/pglite` does not exist
   * yet (see pglite-template.ts); null never uses one. Defaults to the build's `data-template/`.
   */
  pgliteTemplateDir?: string | null | undefined
  /**
   * Where PGlite runs: in a Worker of its own (see pglite-thread.ts) or on this thread. Defaults to
   * the Worker for a database on disk (the embedded default) and this thread for an in-memory one
   * (tests: bun's `expect(pending).rejects` does not deliver Worker messages while it waits).
   */
  pgliteThread?: 'worker' | 'main' | undefined
  /** An open of this `dataDir` already under way in its Worker (main.ts starts it before loading the app). */
  pgliteStarting?: PgliteStarting | undefined
  /** Size of the pg pool. */
  poolSize?: number
  log: Logger
}

/** A database handle and what it runs on. `db.destroy()` closes the pool or PGlite. */
export interface DatabaseHandle {
  db: Kysely<Database>
  engine: 'postgres' | 'pglite'
  /** Closes the connection(s) and releases the data-directory lock. Idempotent. */
  close(): Promise<void>
}

/**
 * Opens the database: PostgreSQL when `databaseUrl` is given, PGlite otherwise.
 * Both return int8 as a JS number and timestamps as Dates, so the same Kysely code runs on both.
 */
export async function connectDatabase(opts: ConnectOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return connectPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.log)
  const templateDir = opts.pgliteTemplateDir === undefined ? PGLITE_TEMPLATE_DIR : opts.pgliteTemplateDir
  const thread = opts.pgliteThread ?? (opts.dataDir ? 'worker' : 'main')
  if (thread === 'main') return connectPgliteHere(opts.dataDir, templateDir, opts.log)
  const given = opts.pgliteStarting
  const starting = given && given.dataDir === opts.dataDir ? given : startPgliteThread(opts.dataDir, templateDir)
  return connectPgliteThread(starting, opts.log)
}

async function connectPostgres(url: string, max: number, log: Logger): Promise<DatabaseHandle> {
  const pg = await import('pg')
  const parseInt8 = (v: string): number => Number(v)
  const statementNames = createStatementNames(MAX_NAMED_STATEMENTS)
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    // Queries issued together go out together (a transaction's BEGIN and its first statement
    // share a round trip); nothing here keeps a portal open across round trips.
    pipeline: true,
    application_name: 'sage-mode',
    // Every query here is one of a few dozen parameterized texts, run as a named statement
    // (keyed lookups and writes, thousands a second). By default PostgreSQL plans each afresh
    // for its first five runs per connection after every statistics change, and for good where
    // a custom plan looks cheaper (array parameters, as in every actor commit's last
    // statement): a generic plan serves them as well and costs no planning.
    options: '-c plan_cache_mode=force_generic_plan',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // Without a listener, an idle client dropped by the server crashes the process.
  pool.on('error', (error) => log.warn('postgres idle client error', { error }))
  // The pool listens only on idle clients: a checked-out one whose server goes away
  // (restart, failover) would emit an unhandled 'error' and crash the process.
  pool.on('connect', (client) => {
    client.on('error', (error) => log.warn('postgres client error', { error: error.message }))
    useNamedStatements(client, statementNames)
  })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let closed = false
  return {
    db,
    engine: 'postgres',
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
    },
  }
}

async function connectPgliteThread(starting: PgliteStarting, log: Logger): Promise<DatabaseHandle> {
  const { pglite, opened, lock } = await starting.opening
  for (const note of opened.notes) log[note.level](note.msg, note.fields)
  const dir = starting.dataDir ? join(starting.dataDir, 'pglite') : 'memory'
  log.info('pglite opened', { dir, from: opened.source, thread: 'worker', copy_ms: opened.copyMs, open_ms: opened.openMs })
  return pgliteHandle(pglite, lock)
}

/** PGlite on this thread (tests' in-memory databases). */
async function connectPgliteHere(dataDir: string | undefined, templateDir: string | null, log: Logger): Promise<DatabaseHandle> {
  let lock: DirLock | null = null
  let dir: string | undefined
  let source: 'existing' | 'template' | 'stale' | 'none' | 'memory' = 'memory'
  if (dataDir) {
    dir = join(dataDir, 'pglite')
    mkdirSync(dataDir, { recursive: true })
    // PGlite supports one process per data directory; a second one would corrupt it.
    lock = acquireDirLock(join(dataDir, 'pglite.lock'))
    source = existsSync(dir) ? 'existing' : templateDir ? seedFromTemplate(templateDir, dir, log) : 'none'
    mkdirSync(dir, { recursive: true })
  }
  let pglite: PGlite
  try {
    pglite = await (await import('@electric-sql/pglite')).PGlite.create(dir)
  } catch (error) {
    lock?.release()
    throw error
  }
  log.info('pglite opened', { dir: dir ?? 'memory', from: source, thread: 'main' })
  return pgliteHandle(pglite, lock)
}

function pgliteHandle(pglite: PGlite, lock: DirLock | null): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  let closed = false
  return {
    db,
    engine: 'pglite',
    async close() {
      if (closed) return
      closed = true
      await db.destroy()
      lock?.release()
    },
  }
}

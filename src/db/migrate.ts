import { promises as fs } from 'node:fs'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { FileMigrationProvider, type MigrationResult, Migrator } from 'kysely/migration'

import { MIGRATIONS_DIR } from './migrations-dir.ts'

export { MIGRATIONS_DIR }

/** What a migration run did: the migrations it applied, in order. */
export interface MigrateOutcome {
  applied: string[]
}

/** The migrations' names, as Kysely's FileMigrationProvider names them (file name without its extension). */
export async function migrationNames(): Promise<string[]> {
  const files = await fs.readdir(MIGRATIONS_DIR)
  return files
    .filter((f) => (f.endsWith('.ts') || f.endsWith('.js')) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, f.lastIndexOf('.')))
    .sort()
}

/**
 * The migrations not applied yet, or null when that cannot be told by a read alone (no
 * migration table yet, or an applied migration that is not among the files, which Kysely's
 * migrator reports as an error).
 *
 * ### Examples
 * ```ts
 * await pendingMigrations(db) // [] on an up-to-date database
 * ```
 * ```sql
 * select name from kysely_migration
 * ```
 */
export async function pendingMigrations(db: Kysely<any>): Promise<string[] | null> {
  const names = await migrationNames()
  let applied: Set<string>
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db)
    applied = new Set(rows.map((r) => r.name))
  } catch {
    return null
  }
  const known = new Set(names)
  for (const name of applied) if (!known.has(name)) return null
  return names.filter((n) => !applied.has(n))
}

/**
 * Brings the schema to the latest migration. Safe when several processes start at
 * once: Kysely holds a PostgreSQL advisory lock for the whole run, so one applies
 * and the others find nothing left to do. Throws the first migration error. An up-to-date schema
 * (`pendingMigrations` finds nothing) returns at once.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
  // Every start finds an up-to-date schema but for the first after an upgrade: one read says so,
  // without loading (transpiling) every migration module or taking the migration lock.
  if ((await pendingMigrations(db))?.length === 0) return { applied: [] }
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
  })
  const { error, results } = await migrator.migrateToLatest()
  const failed = (results ?? []).find((r: MigrationResult) => r.status === 'Error')
  if (error) {
    const where = failed ? `migration ${failed.migrationName} failed: ` : 'migrating failed: '
    throw new Error(where + (error instanceof Error ? error.message : String(error)), { cause: error })
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) }
}

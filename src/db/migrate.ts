import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { FileMigrationProvider, type MigrationResult, Migrator } from 'kysely/migration'

export const MIGRATIONS_DIR = path.join(import.meta.dir, '../../migrations')

/** What a migration run did: the migrations it applied, in order. */
export interface MigrateOutcome {
  applied: string[]
}

/**
 * Brings the schema to the latest migration. Safe when several processes start at
 * once: Kysely holds a PostgreSQL advisory lock for the whole run, so one applies
 * and the others find nothing left to do. Throws the first migration error.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrateOutcome> {
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

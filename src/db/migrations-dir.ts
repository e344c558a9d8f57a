import { join } from 'node:path'

/** The migrations folder (its own module so the PGlite Worker can fingerprint it without loading Kysely). */
export const MIGRATIONS_DIR = join(import.meta.dir, '../../migrations')

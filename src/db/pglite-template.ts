import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { MIGRATIONS_DIR } from './migrations-dir.ts'

/** What seeding says about itself: a logger, or (in the PGlite Worker) a collector whose lines the main thread logs. */
export interface SeedLog {
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
}

/**
 * A pre-made PGlite data directory: created and migrated once at build time (`bun run build`),
 * copied into a fresh `<SAGE_DATA_DIR>/pglite` on first start. Creating a PGlite database takes
 * seconds (initdb in WASM); copying a made one and opening it takes a fraction of that.
 *
 * Layout: `<templateDir>/pglite/` (the data directory) and `<templateDir>/manifest.json`
 * (`{ fingerprint }`). The fingerprint covers PGlite's version and every migration's name and
 * text, so a template made before a migration changed is stale and ignored.
 */
export const PGLITE_TEMPLATE_DIR = join(import.meta.dir, '../../data-template')

interface Manifest {
  fingerprint: string
}

function pgliteVersion(): string {
  const entry = Bun.resolveSync('@electric-sql/pglite', import.meta.dir)
  let dir = dirname(entry)
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir)
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
}

/** How the template is made (bump when buildPgliteTemplate changes what it leaves in the directory). */
const TEMPLATE_FORMAT = 'v2: postgres database only (no template0/template1)'

/** What a template must match to be used: how it is made, PGlite's version and the migrations' names and texts. */
export function templateFingerprint(migrationsDir: string = MIGRATIONS_DIR): string {
  const hasher = new Bun.CryptoHasher('sha256')
  hasher.update(`template ${TEMPLATE_FORMAT}\npglite ${pgliteVersion()}\n`)
  for (const name of readdirSync(migrationsDir).sort()) {
    if (!/\.(ts|js)$/.test(name)) continue
    hasher.update(`${name}\n`)
    hasher.update(readFileSync(join(migrationsDir, name)))
  }
  return hasher.digest('hex')
}

/** The template's data directory when it exists and matches `fingerprint`; null otherwise. */
export function usableTemplate(templateDir: string, fingerprint: string = templateFingerprint()): string | null {
  try {
    const manifest = JSON.parse(readFileSync(join(templateDir, 'manifest.json'), 'utf8')) as Manifest
    const dir = join(templateDir, 'pglite')
    return manifest.fingerprint === fingerprint && existsSync(join(dir, 'PG_VERSION')) ? dir : null
  } catch {
    return null
  }
}

/**
 * Fills the missing data directory `target` from the template, if one is usable. The copy goes
 * to a sibling first and is renamed into place, so a stop mid-copy leaves no half directory.
 * Returns 'template', 'stale' (a template exists but does not match) or 'none'.
 */
export function seedFromTemplate(templateDir: string, target: string, log: SeedLog): 'template' | 'stale' | 'none' {
  const source = usableTemplate(templateDir)
  if (!source) {
    const exists = existsSync(join(templateDir, 'manifest.json'))
    if (exists) log.info('pglite template is stale (migrations or PGlite changed); creating the database', { template: templateDir })
    return exists ? 'stale' : 'none'
  }
  const partial = `${target}.partial-${process.pid}`
  try {
    rmSync(partial, { recursive: true, force: true })
    copyTree(source, partial)
    renameSync(partial, target)
    return 'template'
  } catch (error) {
    rmSync(partial, { recursive: true, force: true })
    log.warn('copying the pglite template failed; creating the database', { error: String(error) })
    return 'none'
  }
}

const BLOCK = 64 * 1024
const ZEROS = new Uint8Array(BLOCK)

/**
 * Copies a file leaving its all-zero 64 KB blocks as holes: the copy reads the same, and the WAL
 * segment (16 MB, half of it never written) costs a fraction of its size to write.
 */
function copySparse(from: string, to: string): void {
  const input = openSync(from, 'r')
  const output = openSync(to, 'w')
  try {
    const size = fstatSync(input).size
    const buffer = new Uint8Array(BLOCK)
    for (let position = 0; position < size; ) {
      const read = readSync(input, buffer, 0, BLOCK, position)
      if (read <= 0) break
      if (Buffer.compare(buffer.subarray(0, read), ZEROS.subarray(0, read)) !== 0) writeSync(output, buffer, 0, read, position)
      position += read
    }
    ftruncateSync(output, size)
  } finally {
    closeSync(input)
    closeSync(output)
  }
}

/** Copies the directory tree `from` to `to` (which must not exist): large files sparse, the rest as they are. */
function copyTree(from: string, to: string): void {
  mkdirSync(to)
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name)
    const target = join(to, entry.name)
    if (entry.isDirectory()) copyTree(source, target)
    else if (statSync(source).size > BLOCK * 16) copySparse(source, target)
    else copyFileSync(source, target)
  }
}

/**
 * Makes the template at `templateDir` unless a usable one is there: a fresh PGlite database in a
 * temporary sibling, migrated, closed, then moved into place with its manifest.
 * Returns whether it built one.
 */
export async function buildPgliteTemplate(templateDir: string = PGLITE_TEMPLATE_DIR): Promise<'built' | 'fresh'> {
  const fingerprint = templateFingerprint()
  if (usableTemplate(templateDir, fingerprint)) return 'fresh'
  const { PGlite } = await import('@electric-sql/pglite')
  const { Kysely, PGliteDialect } = await import('kysely')
  const { migrateToLatest } = await import('./migrate.ts')
  const work = `${templateDir}.building-${process.pid}`
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  const pglite = await PGlite.create(join(work, 'pglite'))
  const db = new Kysely<unknown>({ dialect: new PGliteDialect({ pglite }) })
  try {
    await migrateToLatest(db)
    // The app runs in the `postgres` database only. initdb's template0 and template1 are half of
    // the directory's files (what a first start copies) and serve CREATE DATABASE alone.
    for (const name of ['template0', 'template1']) {
      await pglite.exec(`ALTER DATABASE ${name} IS_TEMPLATE false`)
      await pglite.exec(`DROP DATABASE ${name}`)
    }
    // A clean checkpoint so the copy opens without replaying WAL.
    await pglite.exec('CHECKPOINT')
  } finally {
    await db.destroy()
  }
  writeFileSync(join(work, 'manifest.json'), `${JSON.stringify({ fingerprint } satisfies Manifest)}\n`)
  rmSync(templateDir, { recursive: true, force: true })
  try {
    renameSync(work, templateDir)
  } catch (error) {
    // Another build moved its template in first: keep that one if it is usable.
    rmSync(work, { recursive: true, force: true })
    if (usableTemplate(templateDir, fingerprint)) return 'fresh'
    throw error
  }
  return 'built'
}

import { afterAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { buildPgliteTemplate, PGLITE_TEMPLATE_DIR, seedFromTemplate } from '../../src/db/pglite-template.ts'
import { silentLogger } from '../../src/log/index.ts'

// Building the template (when the one there is stale) runs every migration: more than bun's 5 s default.
setDefaultTimeout(120_000)

const scratch = mkdtempSync(join(tmpdir(), 'sage-tplcopy-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort()
}

describe('the copy of the pre-made data directory on a first start', () => {
  it('holds the same files with the same bytes, and writes the WAL segment’s unwritten part as a hole', async () => {
    await buildPgliteTemplate()
    const target = join(scratch, 'pglite')
    expect(seedFromTemplate(PGLITE_TEMPLATE_DIR, target, silentLogger())).toBe('template')
    const source = join(PGLITE_TEMPLATE_DIR, 'pglite')
    expect(files(target)).toEqual(files(source))
    for (const name of files(source)) expect(Buffer.compare(readFileSync(join(target, name)), readFileSync(join(source, name)))).toBe(0)
    const wal = files(target).filter((name) => name.startsWith('pg_wal/0'))
    expect(wal.length).toBeGreaterThan(0)
    for (const name of wal) {
      const copied = statSync(join(target, name))
      expect(copied.blocks * 512).toBeLessThan(copied.size)
    }
  })

  it('leaves initdb’s template databases out of the template: only `postgres` is copied', () => {
    expect(readdirSync(join(PGLITE_TEMPLATE_DIR, 'pglite', 'base')).length).toBe(1)
  })
})

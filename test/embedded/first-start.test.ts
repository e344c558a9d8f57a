import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { connectDatabase, migrateToLatest } from '../../src/db/index.ts'
import { buildPgliteTemplate, PGLITE_TEMPLATE_DIR, templateFingerprint } from '../../src/db/pglite-template.ts'
import { createLogger } from '../../src/log/index.ts'
import { startServiceProcess } from '../support/service-process.ts'

// PGlite creation, copies and a child process: more than bun's 5 s default.
setDefaultTimeout(120_000)

const dirs: string[] = []
const children: Subprocess[] = []
const scratch = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

afterAll(async () => {
  for (const child of children) {
    child.kill('SIGKILL')
    await child.exited
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describe('first start of the embedded default from the pre-made data directory', () => {
  /** A copy of the build's template with a marker table in it, so a test can tell whether it was used. */
  let marked = ''

  beforeAll(async () => {
    // `bun run build` makes it; a no-op when the one there is current.
    await buildPgliteTemplate()
    marked = join(scratch('sage-tpl-'), 'template')
    cpSync(PGLITE_TEMPLATE_DIR, marked, { recursive: true })
    const pglite = await PGlite.create(join(marked, 'pglite'))
    await pglite.exec('CREATE TABLE template_marker (id int); CHECKPOINT')
    await pglite.close()
  })

  async function openFresh(templateDir: string): Promise<{ from: string; marker: boolean; applied: string[] }> {
    const lines: string[] = []
    const log = createLogger('info', {}, (line) => lines.push(line))
    const dataDir = join(scratch('sage-emb-'), 'data')
    const handle = await connectDatabase({ dataDir, pgliteTemplateDir: templateDir, log })
    try {
      const { applied } = await migrateToLatest(handle.db)
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'template_marker'`.execute(handle.db)
      const opened = lines.map((l) => JSON.parse(l) as { msg: string; from?: string }).find((l) => l.msg === 'pglite opened')
      return { from: opened?.from ?? '', marker: rows[0]?.n === 1, applied }
    } finally {
      await handle.close()
    }
  }

  it('copies a current template into a missing data directory, with every migration already applied', async () => {
    const opened = await openFresh(marked)
    expect(opened).toEqual({ from: 'template', marker: true, applied: [] })
  })

  it('ignores a template whose migrations differ, and creates and migrates the database instead', async () => {
    const stale = join(scratch('sage-stale-'), 'template')
    cpSync(marked, stale, { recursive: true })
    const manifest = JSON.parse(readFileSync(join(stale, 'manifest.json'), 'utf8')) as { fingerprint: string }
    expect(manifest.fingerprint).toBe(templateFingerprint())
    writeFileSync(join(stale, 'manifest.json'), JSON.stringify({ fingerprint: 'made-before-a-migration-changed' }))
    const opened = await openFresh(stale)
    expect(opened.from).toBe('stale')
    expect(opened.marker).toBe(false)
    expect(opened.applied.length).toBeGreaterThan(0)
  })

  it('creates the database when there is no template at all', async () => {
    const opened = await openFresh(join(scratch('sage-none-'), 'missing'))
    expect(opened.from).toBe('none')
    expect(opened.marker).toBe(false)
  })

  it('starts `bun src/main.ts` on a fresh directory from the template, serves /health and runs a whole session', async () => {
    const dataDir = join(scratch('sage-proc-'), 'data')
    const started = await startServiceProcess({ SAGE_DATA_DIR: dataDir }, { timeoutMs: 60_000 })
    children.push(started.child)
    const web = `http://127.0.0.1:${started.port}`
    expect(started.lines.some((l) => l.includes('"msg":"pglite opened"') && l.includes('"from":"template"'))).toBe(true)
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true)
    const health = await fetch(`${web}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', db: 'up' })

    const signup = await fetch(`${web}/api/auth/signup`, {
      method: 'POST',
      headers: { origin: web, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'first_start', email: 'first@example.com', password: 'password123' }),
    })
    expect(signup.status).toBe(201)
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
    const { csrf_token } = (await signup.json()) as { csrf_token: string }
    const headers = { origin: web, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }
    const post = async <T,>(path: string, body: unknown): Promise<T> =>
      (await (await fetch(`${web}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as T
    const team = await post<{ team: { id: number } }>('/api/teams', { name: 'First start team' })
    const created = await post<{ session: { id: number } }>('/api/sessions', { team_id: team.team.id, feature_name: 'First start feature' })
    type Read = { session: { status: string }; tasks: Array<{ status: string }> }
    const read = async (): Promise<Read> => (await (await fetch(`${web}/api/sessions/${created.session.id}`, { headers })).json()) as Read
    let state = await read()
    for (let i = 0; i < 600 && state.session.status === 'active'; i++) {
      await Bun.sleep(100)
      state = await read()
    }
    expect(state.session.status).toBe('completed')
    expect(state.tasks.map((t) => t.status)).toEqual(Array(7).fill('completed'))

    started.child.kill('SIGTERM')
    expect(await started.child.exited).toBe(0)
  })
})

/**
 * `bun run chaos --quick` as an operator runs it (a child process with its own private PostgreSQL
 * and Redis, a web process and three nodes per fault): every quick fault ends with 0 sessions
 * lost, 0 effects duplicated and 0 stuck, and the table says so.
 */
import { describe, expect, it } from 'bun:test'
import { REPO_ROOT } from '../support/service-process.ts'

interface Row {
  sessions: number
  completed: number
  lost: string
  duplicated: string
  stuck: string
}

describe('the fault suite, quick', () => {
  it('prints a table with 0 lost, 0 duplicated, 0 stuck for every quick fault', async () => {
    const child = Bun.spawn(['bun', 'run', 'chaos', '--quick'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
    const rows = out
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| fault'))
      .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))
    const byFault: Record<string, Row> = Object.fromEntries(
      rows.map(([fault, sessions, completed, lost, duplicated, stuck]) => [fault, { sessions: Number(sessions), completed: Number(completed), lost, duplicated, stuck }]),
    )
    expect(Object.keys(byFault).sort(), `${out}\n${err}`).toEqual(['node kill -9', 'poison message', 'unstorable reply', 'worker crash beside plain sessions'])
    for (const [fault, row] of Object.entries(byFault)) {
      expect([fault, row.lost, row.duplicated, row.stuck], out).toEqual([fault, '0', '0', '0'])
      expect(row.sessions).toBeGreaterThan(0)
      expect(row.completed).toBe(row.sessions)
    }
    expect(out).toContain('0 lost, 0 duplicated, 0 stuck')
    expect(code).toBe(0)
  }, 240_000)
})

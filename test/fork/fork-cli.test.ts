import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { type CliUser, createCliUser, runSage, scratchConfigHome, startServer, stopServer } from '../cli/cli-support.ts'
import type { ServiceProcess } from '../support/service-process.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

setDefaultTimeout(120_000)

const hasPostgres = testServices().postgresUrl !== null

/** Polls the API until the session has ended. */
async function waitForEnd(url: string, token: string, id: number): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${url}/api/sessions/${id}`, { headers: { authorization: `Bearer ${token}` } })
    const status = ((await res.json()) as { session: { status: string } }).session.status
    if (status !== 'active') return status
    await Bun.sleep(100)
  }
  throw new Error(`session ${id} did not end`)
}

describe.skipIf(!hasPostgres)('sage fork and sage diff against a running server', () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>
  let server: ServiceProcess
  let url: string
  let user: CliUser
  let env: Record<string, string>
  beforeAll(async () => {
    db = await createScratchDatabase('forkcli')
    server = await startServer(db.url, 0)
    url = `http://127.0.0.1:${server.port}`
    user = await createCliUser(url)
    env = { SAGE_URL: url, SAGE_TOKEN: user.token, XDG_CONFIG_HOME: scratchConfigHome() }
  }, 180_000)
  afterAll(async () => {
    if (server) await stopServer(server)
    await db?.drop()
  })

  it('forks a finished session from a role with feedback, then diffs the fork against it', async () => {
    const run = await runSage(['run', '--team', user.teamName, 'Audit log export', '--follow'], env)
    expect(run.code).toBe(0)
    const parent = Number(/session (\d+) completed/.exec(run.stdout)?.[1])
    const fork = await runSage(['fork', String(parent), '--from', 'security_specialist', '-m', 'Sign every export with an HMAC.'], env)
    expect(fork.stderr).toBe('')
    expect(fork.code).toBe(0)
    const child = Number(/^session (\d+) forked from/.exec(fork.stdout)?.[1])
    expect(child).toBeGreaterThan(parent)
    expect(await waitForEnd(url, user.token, child)).toBe('completed')
    const diff = await runSage(['diff', String(child), String(parent)], env)
    expect(diff.code).toBe(0)
    expect(diff.stdout).toContain(`session ${child} against ${parent}`)
    expect(diff.stdout).toContain('software_architect: unchanged (completed)')
    expect(diff.stdout).toMatch(/security_specialist: completed → completed.*fields changed: (?!none)/)
    const json = JSON.parse((await runSage(['diff', String(child), String(parent), '--json'], env)).stdout)
    expect(json.roles).toHaveLength(7)
    const bad = await runSage(['fork', String(parent), '--from', 'it_administrator', '-m', 'x'], { ...env, SAGE_TOKEN: 'wrong' })
    expect(bad.code).not.toBe(0)
  })
})

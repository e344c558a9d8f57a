/**
 * The real `sage` binary (`bun scripts/sage.ts`) as a child process against a real Sage Mode
 * (`bun src/main.ts` over PostgreSQL): usage errors, login, listings, `run` piped and in a
 * pseudo-terminal (`script`), Ctrl-C, and following across a server restart.
 */
import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { ServiceProcess } from '../support/service-process.ts'
import { REPO_ROOT } from '../support/service-process.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'
import { cliEnv, type CliUser, createCliUser, freePort, runSage, scratchConfigHome, startServer, stopServer } from './cli-support.ts'

// Servers, child processes and whole sessions on a shared 2-core machine.
setDefaultTimeout(240_000)

const hasPostgres = testServices().postgresUrl !== null

/** The event lines of plain output (`#id …`), in order. */
function eventLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('#'))
}

describe.skipIf(!hasPostgres)('sage against a running server', () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>
  let server: ServiceProcess
  let url: string
  let user: CliUser
  let env: Record<string, string>
  beforeAll(async () => {
    db = await createScratchDatabase('cli')
    server = await startServer(db.url, 0)
    url = `http://127.0.0.1:${server.port}`
    user = await createCliUser(url)
    env = { SAGE_URL: url, SAGE_TOKEN: user.token, XDG_CONFIG_HOME: scratchConfigHome() }
  }, 180_000)
  afterAll(async () => {
    if (server) await stopServer(server)
    await db?.drop()
  })

  it('exits 2 with one line on stderr for every usage error', async () => {
    const cases: string[][] = [
      [],
      ['bogus'],
      ['run'],
      ['run', 'Feature'],
      ['run', '--team', '1', 'Feature', '--plan', 'zigzag'],
      ['run', '--team', '1', 'Feature', '--budget', 'lots'],
      ['run', '--team', '1', 'Feature', '--agents', 'chef'],
      ['run', '--team', '1', 'Feature', '--frobnicate'],
      ['show', 'abc'],
      ['follow'],
      ['sessions', '--status', 'sleeping'],
      ['sessions', '--limit', '0'],
      ['export', '1', '--format', 'pdf'],
      ['review', '1', 'maybe'],
      ['fork', '1'],
      ['fork', '1', '--from', 'chef'],
      ['diff', '1'],
      ['estimate', 'Feature'],
      ['eval', '--suite', '/nonexistent/briefs'],
      ['login', '--expires-in-days', 'x'],
    ]
    const runs = await Promise.all(cases.map((args) => runSage(args, env)))
    for (const [i, run] of runs.entries()) {
      const lines = run.stderr.split('\n').filter(Boolean)
      expect({ args: cases[i], code: run.code, lines: lines.length }).toEqual({ args: cases[i], code: 2, lines: 1 })
      expect(lines[0]).toStartWith('sage: ')
    }
  })

  it('says clearly when the server is unreachable, the token is refused or the team is unknown (exit 2)', async () => {
    const down = await runSage(['sessions'], { ...env, SAGE_URL: `http://127.0.0.1:${freePort()}` })
    expect(down.code).toBe(2)
    expect(down.stderr).toMatch(/^sage: cannot reach Sage Mode at http:\/\/127\.0\.0\.1:\d+ .*\n$/)
    const refused = await runSage(['sessions'], { ...env, SAGE_TOKEN: `sage_${'A'.repeat(43)}` })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/^sage: the API token was refused: .*sage login.*\n$/)
    const none = await runSage(['sessions'], { ...env, SAGE_TOKEN: '' })
    expect(none.code).toBe(2)
    expect(none.stderr).toBe('sage: not logged in: run `sage login` or set SAGE_TOKEN\n')
    const team = await runSage(['run', '--team', 'No such team', 'Feature'], env)
    expect(team.code).toBe(2)
    expect(team.stderr).toStartWith('sage: unknown team: No such team (yours: ')
    expect(team.stderr.split('\n').filter(Boolean)).toHaveLength(1)
  })

  it('logs in with a password from stdin, saves the token with mode 0600 and uses it', async () => {
    const home = scratchConfigHome()
    const login = await runSage(['login', '--username', user.username, '--password-stdin'], { SAGE_URL: url, XDG_CONFIG_HOME: home }, `${user.password}\n`)
    expect(login.stderr).toBe('')
    expect(login.code).toBe(0)
    const file = join(home, 'sage', 'credentials.json')
    expect(login.stdout).toContain(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const saved = JSON.parse(await Bun.file(file).text())
    expect(saved).toMatchObject({ url, username: user.username })
    expect(saved.token).toMatch(/^sage_/)
    // No SAGE_URL, no SAGE_TOKEN: the saved credentials are enough.
    const listed = await runSage(['sessions', '--json'], { XDG_CONFIG_HOME: home })
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toHaveProperty('sessions')
    const wrong = await runSage(['login', '--username', user.username, '--password-stdin'], { SAGE_URL: url, XDG_CONFIG_HOME: scratchConfigHome() }, 'wrong password\n')
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toBe('sage: login failed: Wrong username or password.\n')
  })

  it('asks for username and password in a terminal, never echoing the password', async () => {
    const home = scratchConfigHome()
    const child = Bun.spawn(['script', '-qfec', 'stty cols 120 rows 40; exec bun scripts/sage.ts login', '/dev/null'], {
      cwd: REPO_ROOT,
      env: cliEnv({ SAGE_URL: url, XDG_CONFIG_HOME: home, TERM: 'xterm' }),
      stdout: 'pipe',
      stderr: 'pipe',
      stdin: 'pipe',
    })
    const reader = child.stdout.getReader()
    let out = ''
    const until = async (text: string): Promise<void> => {
      while (!out.includes(text)) {
        const { value, done } = await reader.read()
        if (done) return
        out += new TextDecoder().decode(value)
      }
    }
    await until('Username or email')
    child.stdin.write(`${user.username}\r`)
    child.stdin.flush()
    await until('Password')
    child.stdin.write(`${user.password}\r`)
    child.stdin.flush()
    await until('saved to')
    await until('\n')
    expect(await child.exited).toBe(0)
    expect(out).toContain(`as ${user.username}`)
    expect(out).not.toContain(user.password)
    expect(statSync(join(home, 'sage', 'credentials.json')).mode & 0o777).toBe(0o600)
  })

  it('runs a session piped: one plain line per event, in order, then exit 0', async () => {
    const run = await runSage(['run', '--team', user.teamName, 'Password reset by email', '--follow'], env)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const lines = eventLines(run.stdout)
    expect(lines[0]).toMatch(/^#1 \S+ session_started/)
    expect(lines.at(-1)).toMatch(/session_completed$/)
    expect(lines.map((l) => Number(l.slice(1, l.indexOf(' '))))).toEqual(lines.map((_, i) => i + 1))
    expect(run.stdout).not.toContain('\u001b[')
    expect(run.stdout).toMatch(/session \d+ completed: \d+ tokens/)
    const sessions = await runSage(['sessions', '--team', String(user.teamId)], env)
    expect(sessions.code).toBe(0)
    expect(sessions.stdout).toMatch(/^ID\s+STATUS\s+PLAN/)
    expect(sessions.stdout).toContain('Password reset by email')
    const json = JSON.parse((await runSage(['sessions', '--json', '--status', 'completed'], env)).stdout)
    const id = json.sessions[0].id
    const shown = await runSage(['show', String(id)], env)
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('backend_developer')
  })

  it('shows live agent bars in a terminal, exits 0 on a completed session and 1 on a fatal one', async () => {
    const inPty = async (feature: string): Promise<{ code: number; out: string }> => {
      const command = `stty cols 160 rows 40; exec bun scripts/sage.ts run --team ${user.teamId} '${feature}'`
      const child = Bun.spawn(['script', '-qfec', command, '/dev/null'], { cwd: REPO_ROOT, env: cliEnv({ ...env, TERM: 'xterm-256color' }), stdout: 'pipe', stderr: 'pipe', stdin: 'pipe' })
      const [raw, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
      // The redraws are terminal escapes (log-update's); the lines between them are what a person sees.
      return { code, out: raw.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '') }
    }
    const ok = await inPty('Audit log of admin actions')
    expect(ok.code).toBe(0)
    expect(ok.out).toContain('█')
    expect(ok.out).toMatch(/✓ software_architect\s+completed\s+█{20}\s+\d+ tok\s+\S+\s+\d+\.\ds/)
    expect(ok.out).toMatch(/session \d+ completed/)
    const fatal = await inPty('Invoice export [sim:fatal=backend_developer]')
    expect(fatal.code).toBe(1)
    expect(fatal.out).toMatch(/✗ backend_developer\s+failed\s+/)
    expect(fatal.out).toMatch(/session \d+ failed/)
  })

  it('leaves the session running on Ctrl-C, says how to follow it again and exits 130', async () => {
    const child = Bun.spawn(['bun', 'scripts/sage.ts', 'run', '--team', String(user.teamId), 'Endless [sim:hang=*]', '--follow'], {
      cwd: REPO_ROOT,
      env: cliEnv(env),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const reader = child.stdout.getReader()
    let out = ''
    while (!out.includes('task_started')) {
      const { value, done } = await reader.read()
      if (done) break
      out += new TextDecoder().decode(value)
    }
    child.kill('SIGINT')
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited])
    expect(code).toBe(130)
    expect(out).toMatch(/^#1 \S+ session_started/m)
    const active = JSON.parse((await runSage(['sessions', '--json', '--status', 'active'], env)).stdout)
    expect(active.sessions).toHaveLength(1)
    const id = active.sessions[0].id as number
    expect(stderr).toBe(`sage: stopped following; session ${id} keeps running. Follow it again with: sage follow ${id}\n`)
    const shown = JSON.parse((await runSage(['show', String(id), '--json'], env)).stdout)
    expect(shown.session.status).toBe('active')
    await fetch(`${url}/api/sessions/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${user.token}` } })
  })
})

describe.skipIf(!hasPostgres)('sage run --follow across a server restart', () => {
  let db: Awaited<ReturnType<typeof createScratchDatabase>>
  let server: ServiceProcess | null = null
  afterAll(async () => {
    if (server) await stopServer(server)
    await db?.drop()
  })

  it('resumes with Last-Event-ID: no line lost or repeated', async () => {
    db = await createScratchDatabase('clirestart')
    const port = freePort()
    server = await startServer(db.url, port)
    const url = `http://127.0.0.1:${port}`
    const user = await createCliUser(url)
    const env = { SAGE_URL: url, SAGE_TOKEN: user.token, XDG_CONFIG_HOME: scratchConfigHome() }
    // Every agent hangs, so the session is still active when the server goes away.
    const child = Bun.spawn(['bun', 'scripts/sage.ts', 'run', '--team', String(user.teamId), 'Restart me [sim:hang=*]', '--follow'], {
      cwd: REPO_ROOT,
      env: cliEnv(env),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const reader = child.stdout.getReader()
    let out = ''
    while (!out.includes('task_started')) {
      const { value, done } = await reader.read()
      if (done) break
      out += new TextDecoder().decode(value)
    }
    server.child.kill('SIGKILL')
    await server.child.exited
    server = await startServer(db.url, port)
    const sessionId = Number(/"id":(\d+)/.exec(await (await fetch(`${url}/api/sessions?status=active`, { headers: { authorization: `Bearer ${user.token}` } })).text())?.[1])
    // Ends the session through the API: its terminal event reaches the follower over the new connection.
    const done = await fetch(`${url}/api/sessions/${sessionId}/complete`, { method: 'PUT', headers: { authorization: `Bearer ${user.token}` } })
    expect(done.status).toBe(200)
    const rest = (async () => {
      for (;;) {
        const { value, done: ended } = await reader.read()
        if (ended) return
        out += new TextDecoder().decode(value)
      }
    })()
    const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited, rest])
    expect(code).toBe(0)
    expect(stderr).toContain('reconnecting')
    // The whole log, read afresh once the session ended, is exactly what the follower printed.
    const replay = await runSage(['follow', String(sessionId)], env)
    expect(replay.code).toBe(0)
    expect(eventLines(out)).toEqual(eventLines(replay.stdout))
    expect(eventLines(out).at(-1)).toMatch(/session_completed$/)
    expect(new Set(eventLines(out)).size).toBe(eventLines(out).length)
  })
})

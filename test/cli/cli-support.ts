import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, type ServiceProcess, startServiceProcess } from '../support/service-process.ts'

/** What one run of the real `sage` binary did. */
export interface SageRun {
  code: number
  stdout: string
  stderr: string
}

/** A fresh config dir, so no test reads the developer's own saved token. */
export function scratchConfigHome(): string {
  return mkdtempSync(join(tmpdir(), 'sage-cli-config-'))
}

/** Environment for the CLI: nothing inherited but PATH, HOME and TZ, then `extra`. */
export function cliEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TZ: 'UTC', ...extra }
}

/** Runs `bun scripts/sage.ts ...args` as a child process with stdout piped (not a terminal). */
export async function runSage(args: string[], env: Record<string, string>, stdin?: string): Promise<SageRun> {
  const child = Bun.spawn(['bun', 'scripts/sage.ts', ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env),
    stdin: stdin === undefined ? 'ignore' : new TextEncoder().encode(stdin),
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  return { code, stdout, stderr }
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') })
  const port = server.port as number
  server.stop(true)
  return port
}

/** A user with a token and a team on the server at `url`. */
export interface CliUser {
  token: string
  username: string
  password: string
  teamId: number
  teamName: string
}

/** Signs up a user through the API, creates an API token and a team. */
export async function createCliUser(url: string): Promise<CliUser> {
  const username = `cli_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const password = 'correct horse battery'
  const signup = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password }),
  })
  if (signup.status !== 201) throw new Error(`signup failed: ${await signup.text()}`)
  const { csrf_token } = (await signup.json()) as { csrf_token: string }
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token }
  const token = (await (await fetch(`${url}/api/auth/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'cli test' }) })).json()) as { secret: string }
  const teamName = `CLI team ${username}`
  const team = (await (await fetch(`${url}/api/teams`, { method: 'POST', headers, body: JSON.stringify({ name: teamName }) })).json()) as { team: { id: number } }
  return { token: token.secret, username, password, teamId: team.team.id, teamName }
}

/** Starts `bun src/main.ts` on `port` over `databaseUrl` (no Redis: in-process mailbox and events). */
export function startServer(databaseUrl: string, port: number, extra: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess(
    { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', NODE_ID: `cli-test-${port}`, TASK_RETRY_BASE_MS: '50', SAGE_WORKERS: '1', ...extra },
    { timeoutMs: 120_000 },
  )
}

/** Stops a service process: SIGTERM, then SIGKILL if it lingers. */
export async function stopServer(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGTERM')
  const exited = await Promise.race([service.child.exited.then(() => true), Bun.sleep(15_000).then(() => false)])
  if (!exited) service.child.kill('SIGKILL')
  await service.child.exited
}

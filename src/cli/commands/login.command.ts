import { isCancel, password as askPassword, text as askText } from '@clack/prompts'
import { CliError, EXIT } from '../cli-error.ts'
import { serverUrl } from '../cli-context.ts'
import { type CliIo, println } from '../cli-io.ts'
import { saveCredentials } from '../credentials.ts'

/** Flags of `sage login`. */
export interface LoginFlags {
  url?: string
  username?: string
  /** Read the password from stdin (for scripts and CI) instead of asking. */
  passwordStdin?: boolean
  tokenName?: string
  expiresInDays?: number
}

async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
}

async function ask(io: CliIo, what: 'username' | 'password'): Promise<string> {
  if (!io.stdin.isTTY) throw new CliError(`no terminal to ask for the ${what}: pass --username and --password-stdin`)
  const common = { input: io.stdin as NodeJS.ReadableStream & import('node:stream').Readable, output: io.stdout }
  const answer =
    what === 'username'
      ? await askText({ ...common, message: 'Username or email' })
      : await askPassword({ ...common, message: 'Password', mask: '•' })
  if (isCancel(answer)) throw new CliError('login cancelled', EXIT.interrupted)
  return answer
}

/**
 * `sage login`: asks for username and password (the password is never echoed), logs in,
 * creates a personal API token with that login, logs the login out again, and saves the
 * token in the user's config directory with mode 0600.
 */
export async function loginCommand(io: CliIo, flags: LoginFlags): Promise<number> {
  const url = (await serverUrl(io, flags.url)).replace(/\/+$/, '')
  const username = flags.username ?? (await ask(io, 'username'))
  const password = flags.passwordStdin ? await readStdin(io) : await ask(io, 'password')
  if (!username || !password) throw new CliError('username and password are required')
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    try {
      return await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    } catch (error) {
      throw new CliError(`cannot reach Sage Mode at ${url} (${error instanceof Error ? error.message : String(error)}); is it running? Set --url or SAGE_URL.`)
    }
  }
  const errorOf = async (res: Response): Promise<string> => {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    return body?.error?.message ?? `HTTP ${res.status}`
  }
  const login = await post('/api/auth/login', { username, password })
  if (!login.ok) throw new CliError(`login failed: ${await errorOf(login)}`)
  const { user, csrf_token } = (await login.json()) as { user: { username: string }; csrf_token: string }
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const name = flags.tokenName ?? `sage cli ${new Date().toISOString().slice(0, 10)}`
  const created = await post(
    '/api/auth/tokens',
    { name, ...(flags.expiresInDays ? { expires_in_days: flags.expiresInDays } : {}) },
    { cookie, 'x-csrf-token': csrf_token },
  )
  if (!created.ok) throw new CliError(`could not create a token: ${await errorOf(created)}`)
  const { secret } = (await created.json()) as { secret: string }
  // The token is what the CLI keeps; the browser-style login is not needed any more.
  await post('/api/auth/logout', {}, { cookie, 'x-csrf-token': csrf_token }).catch(() => undefined)
  const path = await saveCredentials(io.env, { url, token: secret, username: user.username })
  println(io, `logged in to ${url} as ${user.username}; token "${name}" saved to ${path}`)
  return EXIT.ok
}

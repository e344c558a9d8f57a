import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** An embedded Sage Mode in this process, with a user and token to drive it. */
export interface LocalServer {
  url: string
  token: string
  /** Stops the service and deletes its data directory. */
  stop(): Promise<void>
}

/**
 * Starts the embedded default (PGlite in a fresh temp dir, in-process mailbox and events) on
 * 127.0.0.1 and a free port, signs up a throwaway user and creates an API token for it.
 * Model settings (MODEL_PROVIDER, SIM_LATENCY_MS, TASK_*) come from `env`; storage and
 * network settings do not.
 */
export async function startLocalServer(env: Record<string, string | undefined>): Promise<LocalServer> {
  const { parseConfig } = await import('../config/index.ts')
  const { startService } = await import('../boot/index.ts')
  const { createLogger } = await import('../log/index.ts')
  const dir = await mkdtemp(join(tmpdir(), 'sage-eval-'))
  const parsed = parseConfig({
    ...env,
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    SAGE_ROLE: 'all',
    PORT: '0',
    HOST: '127.0.0.1',
    SAGE_DATA_DIR: dir,
    NODE_ID: 'sage-eval',
    LOG_LEVEL: 'silent',
    APP_ORIGIN: undefined,
  })
  if (!parsed.ok) throw new Error(`invalid configuration: ${parsed.errors.join('; ')}`)
  const service = await startService(parsed.config, createLogger('silent'))
  const stop = async (): Promise<void> => {
    await service.stop()
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const url = `http://127.0.0.1:${service.port}`
    const username = `eval_${Date.now().toString(36)}`
    const password = crypto.randomUUID()
    const post = (path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    const signup = await post('/api/auth/signup', { username, email: `${username}@example.com`, password })
    if (signup.status !== 201) throw new Error(`signup on the local server failed: ${signup.status} ${await signup.text()}`)
    const { csrf_token } = (await signup.json()) as { csrf_token: string }
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const created = await post('/api/auth/tokens', { name: 'sage eval' }, { cookie, 'x-csrf-token': csrf_token })
    if (created.status !== 201) throw new Error(`creating a token on the local server failed: ${created.status} ${await created.text()}`)
    const { secret } = (await created.json()) as { secret: string }
    return { url, token: secret, stop }
  } catch (error) {
    await stop()
    throw error
  }
}

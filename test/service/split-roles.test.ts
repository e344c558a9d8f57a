import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Subprocess } from 'bun'
import { startServiceProcess } from '../support/service-process.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const { redisUrl, redisPrefix, postgresUrl } = testServices()

describe.skipIf(!redisUrl || !postgresUrl)('a web process and an actor node as separate processes', () => {
  const children: Subprocess[] = []
  let drop: () => Promise<void> = async () => {}
  let web = ''

  beforeAll(async () => {
    const scratch = await createScratchDatabase('split')
    drop = scratch.drop
    const shared = { DATABASE_URL: scratch.url, REDIS_URL: redisUrl as string, REDIS_PREFIX: `${redisPrefix}split:`, SAGE_PARTITIONS: '8' }
    const node = await startServiceProcess({ ...shared, SAGE_ROLE: 'node', NODE_ID: 'split-node' })
    children.push(node.child)
    const webProcess = await startServiceProcess({ ...shared, SAGE_ROLE: 'web', NODE_ID: 'split-web' })
    children.push(webProcess.child)
    web = `http://127.0.0.1:${webProcess.port}`
  })

  afterAll(async () => {
    for (const child of children) {
      child.kill('SIGTERM')
      expect(await child.exited).toBe(0)
    }
    await drop()
  })

  it('runs a session started on the web process on the node, and cancels one through it', async () => {
    const origin = { origin: web }
    const signup = await fetch(`${web}/api/auth/signup`, {
      method: 'POST',
      headers: { ...origin, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'split_user', email: 'split@example.com', password: 'password123' }),
    })
    expect(signup.status).toBe(201)
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
    const { csrf_token } = (await signup.json()) as { csrf_token: string }
    const headers = { ...origin, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' }
    const post = (path: string, body?: unknown) =>
      fetch(`${web}${path}`, { method: 'POST', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    const team = (await (await post('/api/teams', { name: 'Split team' })).json()) as { team: { id: number } }

    const done = (await (await post('/api/sessions', { team_id: team.team.id, feature_name: 'Split feature' })).json()) as { session: { id: number } }
    const hung = (await (await post('/api/sessions', { team_id: team.team.id, feature_name: 'Stuck [sim:hang=software_architect]' })).json()) as {
      session: { id: number }
    }
    const status = async (id: number): Promise<{ session: { status: string }; tasks: Array<{ status: string }> }> =>
      (await fetch(`${web}/api/sessions/${id}`, { headers })).json() as Promise<{ session: { status: string }; tasks: Array<{ status: string }> }>
    const deadline = Date.now() + 30_000
    while ((await status(done.session.id)).session.status === 'active' && Date.now() < deadline) await Bun.sleep(100)
    const finished = await status(done.session.id)
    expect(finished.session.status).toBe('completed')
    expect(finished.tasks.map((t) => t.status)).toEqual(Array(7).fill('completed'))

    // Cancel is an ask from the web process to the supervisor on the node, answered through Redis.
    const cancelled = await post(`/api/sessions/${hung.session.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(((await cancelled.json()) as { session: { status: string } }).session.status).toBe('cancelled')
  })
})

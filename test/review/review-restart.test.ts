import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import type { Subprocess } from 'bun'
import { startServiceProcess } from '../support/service-process.ts'
import { createScratchDatabase, testServices } from '../support/services.ts'

setDefaultTimeout(120_000)

const { redisUrl, redisPrefix, postgresUrl } = testServices()

/**
 * Review as a mailbox across restarts: a session waits for a verdict while its actor node is
 * killed with SIGKILL and started again 10 s later; the verdict comes through a second web process.
 */
describe.skipIf(!redisUrl || !postgresUrl)('a verdict after the node restarted, through another web process (child processes, PostgreSQL + Redis)', () => {
  const children: Subprocess[] = []
  let drop: () => Promise<void> = async () => {}
  let shared: Record<string, string> = {}

  beforeAll(async () => {
    const scratch = await createScratchDatabase('review_restart')
    drop = scratch.drop
    shared = {
      DATABASE_URL: scratch.url,
      REDIS_URL: redisUrl as string,
      REDIS_PREFIX: `${redisPrefix}revrestart${Math.random().toString(36).slice(2, 6)}:`,
      SAGE_PARTITIONS: '8',
      SAGE_LEASE_MS: '3000',
      SIM_LATENCY_MS: '0',
    }
  })
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && !child.killed) child.kill('SIGTERM')
    await Promise.all(children.map((c) => c.exited))
    await drop()
  })

  const start = async (role: 'node' | 'web', id: string) => {
    const p = await startServiceProcess({ ...shared, SAGE_ROLE: role, NODE_ID: id })
    children.push(p.child)
    return p
  }

  it('keeps the session waiting through a SIGKILL; the verdict through a second web process goes on to completion, each record once', async () => {
    let node = await start('node', 'rev-node')
    const web1 = `http://127.0.0.1:${(await start('web', 'rev-web-1')).port}`
    const signup = await fetch(`${web1}/api/auth/signup`, {
      method: 'POST',
      headers: { origin: web1, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'reviewer_restart', email: 'reviewer_restart@example.com', password: 'password123' }),
    })
    expect(signup.status).toBe(201)
    const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
    const { csrf_token } = (await signup.json()) as { csrf_token: string }
    const call = async (base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { origin: base, cookie, 'x-csrf-token': csrf_token, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      return { status: res.status, body: await res.json().catch(() => null) }
    }
    const team = (await call(web1, 'POST', '/api/teams', { name: 'Restart team' })).body.team
    const session = (
      await call(web1, 'POST', '/api/sessions', { team_id: team.id, feature_name: 'Ledger', plan: 'sequential', agents: ['software_architect', 'backend_developer'], review: 'all' })
    ).body.session
    const tasks = async (base: string): Promise<Array<{ id: number; agent_role: string; status: string }>> => (await call(base, 'GET', `/api/sessions/${session.id}/tasks`)).body
    const waitFor = async (what: string, check: () => Promise<boolean>): Promise<void> => {
      const deadline = Date.now() + 60_000
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
        await Bun.sleep(100)
      }
    }
    await waitFor('the architect to await review', async () => (await tasks(web1))[0]?.status === 'awaiting_review')
    // It stops after the architect: the backend waits.
    expect((await tasks(web1)).map((t) => t.status)).toEqual(['awaiting_review', 'pending'])

    node.child.kill('SIGKILL')
    await node.child.exited
    await Bun.sleep(10_000)
    node = await start('node', 'rev-node')
    const web2 = `http://127.0.0.1:${(await start('web', 'rev-web-2')).port}`

    const [architect, backend] = await tasks(web2)
    const approved = await call(web2, 'POST', `/api/tasks/${architect?.id}/review`, { verdict: 'approve' })
    expect(approved.status).toBe(200)
    expect(approved.body.task.status).toBe('completed')
    await waitFor('the backend to await review', async () => (await tasks(web2))[1]?.status === 'awaiting_review')
    expect((await call(web1, 'POST', `/api/tasks/${backend?.id}/review`, { verdict: 'approve', comment: 'Fine.' })).status).toBe(200)
    await waitFor('the session to complete', async () => (await call(web2, 'GET', `/api/sessions/${session.id}`)).body.session.status === 'completed')

    for (const task of [architect, backend]) {
      const reviews = (await call(web2, 'GET', `/api/tasks/${task?.id}/reviews`)).body as unknown[]
      expect(reviews).toHaveLength(1)
    }
    const journal = (await call(web1, 'GET', `/api/sessions/${session.id}/decisions?source=review`)).body as Array<{ author: string }>
    expect(journal.map((d) => d.author)).toEqual(['reviewer_restart', 'reviewer_restart'])
    const events = await fetch(`${web2}/api/sessions/${session.id}/events`, { headers: { cookie, origin: web2 } })
    const text = await events.text()
    expect(text.match(/"type":"task_reviewed"/g)?.length).toBe(2)
    expect(text.match(/"type":"task_review_requested"/g)?.length).toBe(2)
    expect(text.match(/"type":"session_completed"/g)?.length).toBe(1)
  })
})

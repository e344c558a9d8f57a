import type { DatabaseHandle } from '../../src/db/index.ts'
import { createActorSessionControl } from '../../src/orchestration/index.ts'
import { type ApiClient, startTestApp, type TestApp } from '../support/http.ts'
import type { TestEngine } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { type OrchestrationNode, startOrchestrationNode, until } from '../orchestration/support.ts'

/** An app and an actor node over one database (so PGlite is shared): verdicts and resumes reach a real supervisor. */
export interface ReviewStack {
  db: DatabaseHandle
  orch: OrchestrationNode
  web: TestApp
  stop(): Promise<void>
}

/** Starts a node (Redis Streams on PostgreSQL when Redis is up, else in-process) and an app that talks to it. */
export async function startReviewStack(engine: TestEngine, env: Record<string, string> = {}): Promise<ReviewStack> {
  const { redisUrl, redisPrefix } = testServices()
  const db = await engine.open()
  const orch = await startOrchestrationNode({
    db,
    redisPrefix: engine.name === 'postgres' && redisUrl ? `${redisPrefix}rv${Math.random().toString(36).slice(2, 6)}:` : null,
    env: { TASK_MAX_RETRIES: '1', TASK_TIMEOUT_MS: '5000', SIM_LATENCY_MS: '0', ...env },
  })
  // The app shares the handle; closing it is this stack's job.
  const shared: TestEngine = { name: engine.name, open: async () => ({ ...db, close: async () => {} }) }
  const web = await startTestApp({
    engine: shared,
    store: 'database',
    sessionControl: (appDb) => createActorSessionControl({ db: appDb, client: orch.node.client, bus: orch.bus }),
  })
  return {
    db,
    orch,
    web,
    async stop() {
      await web.close()
      await orch.stop()
      await db.close()
    },
  }
}

/** Adds `who` to the owner's team with `role`. */
export async function invite(owner: ApiClient, teamId: number, who: ApiClient, role: 'member' | 'viewer'): Promise<void> {
  const res = await owner.post(`/api/teams/${teamId}/invite`, { username: who.user?.username, role })
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`)
}

/** Waits until the session's task of `role` awaits review on `attempt`; returns the task's id. */
export async function awaitReview(client: ApiClient, sessionId: number, role: string, attempt = 1): Promise<number> {
  let id = 0
  await until(`${role} to await review`, async () => {
    const res = await client.get(`/api/sessions/${sessionId}/tasks`)
    const task = (res.body as Array<{ id: number; agent_role: string; status: string; retry_count: number }>).find((t) => t.agent_role === role)
    id = task?.id ?? 0
    return task?.status === 'awaiting_review' && task.retry_count + 1 === attempt
  })
  return id
}

/** Waits until the session has ended; returns its status. */
export async function sessionEnded(client: ApiClient, sessionId: number): Promise<string> {
  let status = 'active'
  await until('the session to end', async () => {
    status = (await client.get(`/api/sessions/${sessionId}`)).body.session.status
    return status !== 'active'
  })
  return status
}

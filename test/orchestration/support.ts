import type { Kysely } from 'kysely'
import { type ActorContext, type ActorNode, type Behaviour, type PeriodicSchedule, startActorNode } from '../../src/actors/index.ts'
import type { AgentRole } from '../../src/agents/index.ts'
import { actorNodeOptions } from '../../src/boot/index.ts'
import type { Database, DatabaseHandle, SessionPlan } from '../../src/db/index.ts'
import { createInProcessEventBus, createRedisEventBus, type EventBus } from '../../src/events/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import {
  AGENT_WORKER_ENTRY,
  agentWorkerEnv,
  createActorSessionControl,
  createSession,
  createSessionBehaviours,
  type SessionControl,
} from '../../src/orchestration/index.ts'
import { closeRedis, connectRedis, type Redis } from '../../src/redis/index.ts'
import { testConfig } from '../support/engines.ts'
import { testServices } from '../support/services.ts'

/** An actor node running the session behaviours, as the service runs it. */
export interface OrchestrationNode {
  node: ActorNode
  control: SessionControl
  bus: EventBus
  redis: Redis | null
  stop(): Promise<void>
}

export interface OrchestrationNodeOptions {
  db: DatabaseHandle
  /** Use Redis Streams (and Redis pub/sub) under this prefix; null for the in-process transport. */
  redisPrefix: string | null
  env?: Record<string, string>
  /** Wraps each behaviour (to inject duplicate deliveries). */
  wrap?: (behaviour: Behaviour) => Behaviour
  /** Cluster-wide periodic tasks to run (none by default). */
  schedules?: PeriodicSchedule[]
}

/** Starts a node with the supervisor and agent behaviours and the agent Worker pool. */
export async function startOrchestrationNode(options: OrchestrationNodeOptions): Promise<OrchestrationNode> {
  const services = testServices()
  const config = testConfig({
    NODE_ID: `orch-${Math.random().toString(36).slice(2, 8)}`,
    SAGE_PARTITIONS: '8',
    SAGE_WORKERS: '2',
    REDIS_PREFIX: options.redisPrefix ?? 'unused:',
    TASK_RETRY_BASE_MS: '20',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...options.env,
  })
  const redis = options.redisPrefix !== null && services.redisUrl ? await connectRedis(services.redisUrl, silentLogger()) : null
  const log = silentLogger()
  const bus = redis ? await createRedisEventBus(redis, config.REDIS_PREFIX, log) : createInProcessEventBus()
  const behaviours = createSessionBehaviours({ config, bus, log }).map((b) => (options.wrap ? options.wrap(b) : b))
  const node = await startActorNode({
    options: actorNodeOptions(config),
    db: options.db.db,
    redis,
    log,
    behaviours,
    workerEntry: AGENT_WORKER_ENTRY,
    workerEnv: agentWorkerEnv(config),
    ...(options.schedules ? { schedules: options.schedules } : {}),
  })
  const control = createActorSessionControl({ db: options.db.db, client: node.client, bus })
  return {
    node,
    control,
    bus,
    redis,
    async stop() {
      await node.stop()
      await bus.close()
      if (redis) await closeRedis(redis)
    },
  }
}

let unique = 0
/** A user and a team to own sessions. */
/**
 * A session control that hands off to a node started after the app (the app is built first, the
 * node on its database): each call goes to `node()` when it is made.
 */
export function lateSessionControl(node: () => OrchestrationNode): SessionControl {
  return {
    sessionCreated: (trx, session, tasks) => node().control.sessionCreated(trx, session, tasks),
    complete: (id) => node().control.complete(id),
    cancel: (id) => node().control.cancel(id),
    decisionAdded: (trx, decision) => node().control.decisionAdded(trx, decision),
    review: (request) => node().control.review(request),
    resume: (id) => node().control.resume(id),
    budgetRaised: (trx, ids) => node().control.budgetRaised(trx, ids),
  }
}

export async function newTeam(db: Kysely<Database>): Promise<{ userId: number; teamId: number }> {
  const tag = `or${Date.now().toString(36)}${unique++}${Math.random().toString(36).slice(2, 5)}`
  const user = await db.insertInto('users').values({ username: tag, email: `${tag}@example.com`, password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()
  const team = await db.insertInto('teams').values({ name: tag, owner_id: user.id }).returning('id').executeTakeFirstOrThrow()
  return { userId: user.id, teamId: team.id }
}

/** Creates a session through the same domain function the API uses (rows + hand-off to the supervisor). */
export async function startSession(
  db: Kysely<Database>,
  control: SessionControl,
  owner: { userId: number; teamId: number },
  input: { feature_name: string; description?: string; plan?: SessionPlan; agents?: AgentRole[] },
): Promise<number> {
  const session = await createSession(db, control, owner.userId, { team_id: owner.teamId, ...input })
  return session.id
}

/** Waits until the session has ended and returns its status. */
export async function waitForEnd(db: Kysely<Database>, sessionId: number, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const row = await db.selectFrom('execution_sessions').select('status').where('id', '=', sessionId).executeTakeFirstOrThrow()
    if (row.status !== 'active') return row.status
    if (Date.now() > deadline) throw new Error(`session ${sessionId} still active after ${timeoutMs} ms`)
    await Bun.sleep(25)
  }
}

/** Waits until `check` holds. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(25)
  }
}

/** A session's tasks by role. */
export async function tasksByRole(db: Kysely<Database>, sessionId: number) {
  const rows = await db.selectFrom('agent_tasks').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
  return new Map(rows.map((r) => [r.agent_role as AgentRole, r]))
}

/** A session's event types in order. */
export async function eventTypes(db: Kysely<Database>, sessionId: number): Promise<string[]> {
  const rows = await db.selectFrom('session_events').select('type').where('session_id', '=', sessionId).orderBy('seq').execute()
  return rows.map((r) => r.type)
}

/**
 * A behaviour that handles every message twice in the same commit and sends every
 * message it tells twice (as distinct messages), so each handler sees duplicates:
 * the test of handler idempotency.
 */
export function duplicatingBehaviour(inner: Behaviour): Behaviour {
  return {
    kind: inner.kind,
    accepts: inner.accepts,
    activate: (ctx) => inner.activate(ctx),
    async receive(message, ctx) {
      // A proxy, so `ctx.state` written by the handler reaches the runtime's context.
      const tellTwice = (to: string, m: Parameters<ActorContext['tell']>[1]): void => {
        ctx.tell(to, m)
        ctx.tell(to, m)
      }
      const doubled = new Proxy(ctx, { get: (target, key) => (key === 'tell' ? tellTwice : Reflect.get(target, key)) })
      await inner.receive(message, doubled)
      await inner.receive(message, doubled)
    },
  }
}

/** An agent behaviour whose RunTask messages lose the input the supervisor sent (as before inputs rode along). */
export function inputlessRunTasks(inner: Behaviour): Behaviour {
  if (inner.kind !== 'agent') return inner
  return {
    ...inner,
    async receive(message, ctx) {
      if (message.type !== 'agent.run') return inner.receive(message, ctx)
      const { input: _, ...payload } = message.payload as Record<string, unknown>
      await inner.receive({ ...message, payload }, ctx)
    },
  }
}

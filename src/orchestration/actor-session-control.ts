import type { Kysely } from 'kysely'
import { type ActorClient, AskTimeoutError } from '../actors/index.ts'
import type { Database } from '../db/index.ts'
import { appendEvents, type EventBus } from '../events/index.ts'
import { BudgetRaised, EndSession, ResumeReply, ResumeSession, ReviewReply, ReviewTask, SessionEndReply, StartSession } from './messages.ts'
import type { EndOutcome, ResumeOutcome, ReviewOutcome, SessionControl, VerdictRequest } from './session-control.ts'

export interface ActorSessionControlDeps {
  db: Kysely<Database>
  client: ActorClient
  bus: EventBus
  /** How long complete/cancel wait for the supervisor's answer. */
  askTimeoutMs?: number
}

/**
 * SessionControl through the actors: a new session's `session_started` event and the
 * supervisor's start message commit with its rows (transactional outbox); complete and
 * cancel ask the supervisor, which owns the session's state machine.
 */
export function createActorSessionControl(deps: ActorSessionControlDeps): SessionControl {
  const end = async (sessionId: number, mode: 'complete' | 'cancel'): Promise<EndOutcome> => {
    const exists = await deps.db.selectFrom('execution_sessions').select('status').where('id', '=', sessionId).executeTakeFirst()
    if (!exists) return 'not_found'
    if (exists.status !== 'active') return 'already_ended'
    try {
      const reply = await deps.client.ask(`session/${sessionId}`, EndSession({ mode }), { timeoutMs: deps.askTimeoutMs ?? 15_000 })
      if (!SessionEndReply.is(reply)) throw new Error(`unexpected reply ${reply.type}`)
      return reply.payload.outcome
    } catch (error) {
      if (error instanceof AskTimeoutError) return 'unavailable'
      throw error
    }
  }
  const review = async (request: VerdictRequest): Promise<ReviewOutcome> => {
    const { session_id, ...payload } = request
    try {
      const reply = await deps.client.ask(`session/${session_id}`, ReviewTask(payload), { timeoutMs: deps.askTimeoutMs ?? 15_000 })
      if (!ReviewReply.is(reply)) throw new Error(`unexpected reply ${reply.type}`)
      return reply.payload.outcome
    } catch (error) {
      if (error instanceof AskTimeoutError) return 'unavailable'
      throw error
    }
  }
  const resume = async (sessionId: number): Promise<ResumeOutcome> => {
    try {
      const reply = await deps.client.ask(`session/${sessionId}`, ResumeSession({}), { timeoutMs: deps.askTimeoutMs ?? 15_000 })
      if (!ResumeReply.is(reply)) throw new Error(`unexpected reply ${reply.type}`)
      return reply.payload.outcome
    } catch (error) {
      if (error instanceof AskTimeoutError) return 'unavailable'
      throw error
    }
  }
  return {
    review,
    resume,
    async sessionCreated(trx, session, tasks) {
      const events = await appendEvents(trx, session.id, [
        {
          type: 'session_started',
          data: {
            feature_name: session.feature_name,
            plan: session.plan,
            tasks: tasks.map((t) => ({ task_id: t.id, agent_role: t.agent_role })),
          },
        },
        // A fork's copied tasks: completed from the start, so the live page and the replay show them so.
        ...tasks.flatMap((t) =>
          t.reused_attempt === undefined ? [] : [{ type: 'task_completed' as const, data: { task_id: t.id, agent_role: t.agent_role, attempt: t.reused_attempt } }],
        ),
      ])
      const pending = await deps.client.tellIn(trx, `session/${session.id}`, StartSession({}))
      return async () => {
        await pending.publish()
        await deps.bus.publish(events)
      }
    },
    complete: (sessionId) => end(sessionId, 'complete'),
    cancel: (sessionId) => end(sessionId, 'cancel'),
    async decisionAdded(trx, decision) {
      const events = await appendEvents(trx, decision.session_id, [
        {
          type: 'decision_added',
          data: {
            decision_id: decision.id,
            decision_text: decision.decision_text,
            category: decision.category,
            confidence: decision.confidence,
            source: 'user',
          },
        },
      ])
      return () => deps.bus.publish(events)
    },
    async budgetRaised(trx, sessionIds) {
      // In the budget's own transaction (outbox): a raise that commits always reaches the supervisor.
      const pending = await Promise.all(sessionIds.map((id) => deps.client.tellIn(trx, `session/${id}`, BudgetRaised({}))))
      return async () => {
        for (const message of pending) await message.publish()
      }
    },
  }
}

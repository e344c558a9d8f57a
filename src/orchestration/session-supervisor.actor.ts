import { ActorFailed, type ActorContext, type Behaviour, defineBehaviour, JobCompleted, type MessageOf, on, parseAddress } from '../actors/index.ts'
import { listRoles } from '../agents/index.ts'
import type { SessionEvent } from '../events/index.ts'
import { agentAddressParts } from './agent.actor.ts'
import type { RolePricing } from '../sessions/index.ts'
import { applyBudgetDenials, firstStarts } from './budget-gate.ts'
import { reserveBudgets } from './budget-reserve.ts'
import {
  AbortTask,
  BudgetRaised,
  EndSession,
  ResumeSession,
  RetryDue,
  ReviewTask,
  RunTask,
  SessionEndReply,
  StartSession,
  TaskFailed,
  TaskSucceeded,
  TaskTimedOut,
} from './messages.ts'
import { resumeSession, reviewTask, type StepCommit } from './review-handlers.ts'
import { applySupervisorCommands, loadSupervisorState, type StepContext, stepInput } from './session-records.ts'
import { endForLostMessage, supervisorDeadLetterError } from './supervisor-dead-letter.ts'
import { type SupervisionPolicy, type SupervisorCommand, type SupervisorInput, type SupervisorState, superviseStep } from './supervisor-state.ts'

export interface SupervisorBehaviourDeps {
  policy: SupervisionPolicy
  /** Called with a commit's events once it has committed (to announce them live). */
  announce(ctx: ActorContext, events: SessionEvent[]): void
  now?: () => Date
  /** How tasks are priced for the budget gate; absent: no budgets are checked. */
  budget?: RolePricing
}

/** What a supervisor's handlers get: its state, null when the session does not exist. */
type SupervisorContext = ActorContext<SupervisorState | null>

function agentAddress(sessionId: number, role: string): string {
  return `agent/${sessionId}/${role}`
}

/** The task's error for a dead-lettered message to its agent, naming what could not be done and why. */
export function deadLetterError(failure: MessageOf<typeof ActorFailed>['payload']): string {
  if (failure.message_type === JobCompleted.type) return `could not record the agent's output: ${failure.detail}`
  if (failure.message_type === RunTask.type) return `could not start the agent: ${failure.detail}`
  return `could not handle the agent's message${failure.message_type ? ` ${failure.message_type}` : ''}: ${failure.detail}`
}

/**
 * The session supervisor, `session/<id>`: owns the session's plan and state machine.
 * Each message loads the state from the rows, takes one pure step (superviseStep),
 * and writes the step's rows, events and messages in the message's one commit.
 */
export function createSessionSupervisorBehaviour(deps: SupervisorBehaviourDeps): Behaviour {
  const now = deps.now ?? (() => new Date())
  const roles = listRoles()

  const carryOut = (ctx: ActorContext, state: SupervisorState, commands: SupervisorCommand[], context: StepContext | null): void => {
    const { sessionId, graph } = state
    // Row changes were written by applySupervisorCommands; these are the messages.
    for (const command of commands) {
      switch (command.type) {
        case 'run_task': {
          const to = agentAddress(sessionId, command.role)
          // The agent's input rides along: read with this step's writes, so the agent reads nothing.
          const input = context ? { input: stepInput(context, state, command.role, command.taskId, command.attempt) } : {}
          const run = RunTask({ task_id: command.taskId, attempt: command.attempt, upstream: [...(graph.get(command.role) ?? [])], ...input })
          if (command.attempt === 1) ctx.spawn(to, { init: run })
          else ctx.tell(to, run)
          break
        }
        case 'abort_task':
          ctx.tell(agentAddress(sessionId, command.role), AbortTask({ attempt: command.attempt }))
          break
        case 'schedule_retry':
          ctx.schedule(command.delayMs, RetryDue({ role: command.role, attempt: command.attempt }), { key: `retry:${command.role}` })
          break
      }
    }
  }

  const sessionIdOf = (self: string): number => {
    const parsed = parseAddress(self)
    if (!parsed || !/^\d+$/.test(parsed.key)) throw new Error(`Not a session address: ${self}`)
    return Number(parsed.key)
  }

  /**
   * One supervision step: `toInput` turns the message into the pure core's input (null: nothing
   * to do); `answer` replies to an EndSession's asker with how it went.
   */
  const supervise = async (ctx: SupervisorContext, toInput: (state: SupervisorState) => SupervisorInput | null, answer = false): Promise<void> => {
    const state = ctx.state
    if (!state) {
      if (answer) ctx.reply(SessionEndReply({ outcome: 'not_found' }))
      return
    }
    const input = toInput(state)
    if (!input) return
    const step = superviseStep(state, input, deps.policy)
    if (answer) ctx.reply(SessionEndReply({ outcome: step.ignored === 'session_ended' ? 'already_ended' : 'ended' }))
    if (step.commands.length === 0) return
    await commit(ctx, step, [])
  }

  /**
   * Writes a step's rows and events (after `before`, recorded beside it), then carries out its
   * messages. Every path that starts tasks comes through here, so the budget gate (budget-gate.ts)
   * sits here: first starts reserve their estimate in this commit, denials are fed back into the step.
   */
  const commit: StepCommit = async (ctx, proposed, before) => {
    const at = now()
    let step = proposed
    const current = ctx.state
    const starts = deps.budget && current ? firstStarts(step, current) : []
    if (deps.budget && current && starts.length > 0) {
      step = applyBudgetDenials(current, step, await reserveBudgets(ctx.trx, current.sessionId, starts, deps.budget, at))
    }
    if (step.commands.length === 0) {
      if (before.length > 0) deps.announce(ctx, before)
      return
    }
    const { events, context } = await applySupervisorCommands(ctx.trx, step.state, step.commands, at)
    ctx.state = step.state
    carryOut(ctx, step.state, step.commands, context)
    deps.announce(ctx, [...before, ...events])
  }

  /**
   * The runtime gave up on an agent: its Worker crashed or hung (the attempt is retried), or
   * one of its messages was dead-lettered (a deterministic failure: the task fails, no retry).
   */
  const agentFailed = (state: SupervisorState, failure: MessageOf<typeof ActorFailed>['payload']): SupervisorInput | null => {
    const agent = agentAddressParts(failure.address)
    const task = agent && state.tasks.find((t) => t.role === agent.role)
    if (!task || task.status !== 'running' || task.waitingRetry) return null
    if (failure.reason === 'dead-lettered') {
      return { type: 'task_failed', role: task.role, attempt: task.attempt, error: deadLetterError(failure).slice(0, 4000), retryable: false }
    }
    return { type: 'task_failed', role: task.role, attempt: task.attempt, error: `${failure.reason}: ${failure.detail}`.slice(0, 4000), retryable: true }
  }

  /** The runtime dead-lettered one of this supervisor's own messages (it told the supervisor itself): the session fails with the reason. */
  const lostOwnMessage = async (ctx: SupervisorContext, failure: MessageOf<typeof ActorFailed>['payload']): Promise<void> => {
    const state = ctx.state
    if (!state) return
    const step = endForLostMessage(state, supervisorDeadLetterError(failure))
    if (step.commands.length === 0) return
    ctx.log.warn('session failed: its supervisor lost a message', { session_id: state.sessionId, message_type: failure.message_type, detail: failure.detail })
    const { events } = await applySupervisorCommands(ctx.trx, step.state, step.commands, now())
    ctx.state = step.state
    carryOut(ctx, step.state, step.commands, null)
    deps.announce(ctx, events)
  }

  return defineBehaviour<SupervisorState | null>({
    kind: 'session',
    // Loaded once per activation and kept in memory; the runtime drops it when a commit fails, so it never drifts from the rows.
    activate: (ctx) => loadSupervisorState(ctx.trx, sessionIdOf(ctx.self), roles),
    handlers: {
      [StartSession.type]: on(StartSession, (ctx) => supervise(ctx, () => ({ type: 'start' }))),
      [EndSession.type]: on(EndSession, (ctx, message) => supervise(ctx, () => ({ type: message.payload.mode }), true)),
      [BudgetRaised.type]: on(BudgetRaised, (ctx) => supervise(ctx, () => ({ type: 'budget_raised' }))),
      [RetryDue.type]: on(RetryDue, (ctx, message) => supervise(ctx, () => ({ type: 'retry_due', ...message.payload }))),
      [TaskSucceeded.type]: on(TaskSucceeded, (ctx, message) => supervise(ctx, () => ({ type: 'task_succeeded', ...message.payload }))),
      [TaskFailed.type]: on(TaskFailed, (ctx, message) => supervise(ctx, () => ({ type: 'task_failed', ...message.payload }))),
      [TaskTimedOut.type]: on(TaskTimedOut, (ctx, message) => supervise(ctx, () => ({ type: 'task_timed_out', ...message.payload }))),
      [ReviewTask.type]: on(ReviewTask, (ctx, message) => reviewTask(ctx, message.payload, deps.policy, commit)),
      [ResumeSession.type]: on(ResumeSession, (ctx) => resumeSession(ctx, deps.policy, commit)),
      [ActorFailed.type]: on(ActorFailed, (ctx, message) =>
        message.payload.address === ctx.self ? lostOwnMessage(ctx, message.payload) : supervise(ctx, (state) => agentFailed(state, message.payload)),
      ),
    },
  })
}

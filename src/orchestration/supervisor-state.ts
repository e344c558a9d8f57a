import type { AgentRole } from '../agents/index.ts'
import type { SessionAwaiting, SessionStatus, TaskStatus } from '../db/index.ts'
import type { BudgetDenial } from './budget-denial.ts'
import type { PlanGraph } from './plan.ts'
import { rejectionError, type ReviewVerdict } from './review-gate.ts'

/** One agent task as the supervisor tracks it. `attempt` is 1-based; 0 before the first run. */
export interface TaskState {
  role: AgentRole
  taskId: number
  status: TaskStatus
  attempt: number
  /** True while a failed attempt waits for its backoff to run again. */
  waitingRetry: boolean
  /** Attempts before the current run (a reviewer's changes or a resume start the retries again); 0 when absent. */
  attemptBase?: number
}

/** A session's supervision state: everything needed to decide the next step. */
export interface SupervisorState {
  sessionId: number
  status: SessionStatus
  tasks: TaskState[]
  graph: PlanGraph
  /** What the session waits for, as its row says (derived from its tasks: see {@link awaitingOf}). */
  awaiting: SessionAwaiting | null
}

/** How failures are handled (one-for-one: a failure touches only its own task). */
export interface SupervisionPolicy {
  /** Retries after the first attempt; the task fails after `maxRetries + 1` attempts. */
  maxRetries: number
  /** Backoff before retry n is `baseDelayMs * 2^(n-1)`, capped at `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** Jitter for retry delays: a number in [0, 1) per retry (the service passes Math.random); none when absent. */
  random?: () => number
}

/** What the supervisor is told. Inputs about an attempt that is no longer current are ignored. */
export type SupervisorInput =
  | { type: 'start' }
  /** `review`: the agent recorded the output as awaiting a human's review (not completed). */
  | { type: 'task_succeeded'; role: AgentRole; attempt: number; review?: boolean }
  /** A reviewer's verdict on the attempt awaiting review (recorded beside the step by review-records.ts). */
  | { type: 'review'; role: AgentRole; attempt: number; verdict: ReviewVerdict; comment: string | null }
  | { type: 'task_failed'; role: AgentRole; attempt: number; error: string; retryable: boolean }
  | { type: 'task_timed_out'; role: AgentRole; attempt: number }
  | { type: 'retry_due'; role: AgentRole; attempt: number }
  | { type: 'cancel' }
  | { type: 'complete' }
  /** A budget was raised: tasks waiting for one go back to pending and start if they now fit (budget-gate.ts). */
  | { type: 'budget_raised' }

/** What the supervisor decides; the actor carries each one out in its commit. */
export type SupervisorCommand =
  | { type: 'run_task'; role: AgentRole; taskId: number; attempt: number }
  | { type: 'abort_task'; role: AgentRole; taskId: number; attempt: number }
  /** After `delayMs`, send `retry_due` with the same (failed) `attempt`; the retry runs as `attempt + 1`. */
  | { type: 'schedule_retry'; role: AgentRole; taskId: number; attempt: number; delayMs: number; error: string }
  | { type: 'task_failed'; role: AgentRole; taskId: number; attempt: number; error: string }
  /** Recorded by the agent (row and event) before it told the supervisor: nothing left to write. */
  | { type: 'task_completed'; role: AgentRole; taskId: number; attempt: number }
  /** A reviewer approved the attempt awaiting review: the task completes. */
  | { type: 'task_approved'; role: AgentRole; taskId: number; attempt: number }
  | { type: 'tasks_ended'; status: 'skipped' | 'cancelled'; taskIds: number[] }
  | { type: 'session_ended'; status: Exclude<SessionStatus, 'active'> }
  /** The session's `awaiting` changed (a task started or stopped waiting for a human or a budget). */
  | { type: 'session_awaiting'; awaiting: SessionAwaiting | null }
  /** A task did not start: it would pass a budget (made from a denied `run_task` by budget-gate.ts). */
  /** `attempt` is the one that would have run; the task keeps its last (`attempt - 1`) while it waits. */
  | { type: 'task_awaiting_budget'; role: AgentRole; taskId: number; attempt: number; denial: BudgetDenial }

/** The outcome of one step: the new state and what to do. `ignored` names why nothing happened. */
export interface SupervisorStep {
  state: SupervisorState
  commands: SupervisorCommand[]
  ignored?: 'stale' | 'session_ended'
}

const FINISHED: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'skipped', 'cancelled'])

/** What a session waits for: a human's review while any task awaits one, else a budget while any task waits for one. */
export function awaitingOf(tasks: readonly TaskState[]): SessionAwaiting | null {
  if (tasks.some((t) => t.status === 'awaiting_review')) return 'review'
  if (tasks.some((t) => t.status === 'awaiting_budget')) return 'budget'
  return null
}

/** Adds the `session_awaiting` command when the step changed what the session waits for. */
function withAwaiting(step: SupervisorStep): SupervisorStep {
  if (step.ignored || step.commands.length === 0) return step
  const awaiting = step.state.status === 'active' ? awaitingOf(step.state.tasks) : null
  if (awaiting === step.state.awaiting) return step
  return { state: { ...step.state, awaiting }, commands: [...step.commands, { type: 'session_awaiting', awaiting }] }
}

/**
 * Backoff before the given retry (1-based), with "equal jitter": `random` in [0, 1] draws it from
 * the upper half of the exponential backoff, so retries of failures that happened together do
 * not happen together again. `random` = 1 (the default) is the backoff without jitter.
 */
export function retryDelay(policy: SupervisionPolicy, retry: number, random = 1): number {
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1))
  return Math.round(backoff / 2 + (backoff / 2) * Math.min(1, Math.max(0, random)))
}

function clone(state: SupervisorState): SupervisorState {
  return { ...state, tasks: state.tasks.map((t) => ({ ...t })) }
}

/** Starts every pending task whose dependencies have all completed. */
function startReady(state: SupervisorState, commands: SupervisorCommand[]): void {
  const status = new Map(state.tasks.map((t) => [t.role, t.status]))
  for (const task of state.tasks) {
    if (task.status !== 'pending') continue
    const deps = state.graph.get(task.role) ?? []
    if (deps.every((d) => status.get(d) === 'completed')) {
      // A resumed task goes on counting its attempts (each attempt is its own job and snapshot).
      task.status = 'running'
      task.attempt += 1
      commands.push({ type: 'run_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
    }
  }
}

/** Marks pending tasks that depend (transitively) on a failed or skipped task as skipped. */
function skipBlocked(state: SupervisorState, commands: SupervisorCommand[]): void {
  const byRole = new Map(state.tasks.map((t) => [t.role, t]))
  const skipped: number[] = []
  let changed = true
  while (changed) {
    changed = false
    for (const task of state.tasks) {
      if (task.status !== 'pending') continue
      const deps = state.graph.get(task.role) ?? []
      if (deps.some((d) => ['failed', 'skipped', 'cancelled'].includes(byRole.get(d)?.status ?? ''))) {
        task.status = 'skipped'
        skipped.push(task.taskId)
        changed = true
      }
    }
  }
  if (skipped.length > 0) commands.push({ type: 'tasks_ended', status: 'skipped', taskIds: skipped })
}

/** Ends the session once every task has finished: `failed` if any task failed, else `completed`. */
function endIfDone(state: SupervisorState, commands: SupervisorCommand[]): void {
  if (!state.tasks.every((t) => FINISHED.has(t.status))) return
  state.status = state.tasks.some((t) => t.status === 'failed') ? 'failed' : 'completed'
  commands.push({ type: 'session_ended', status: state.status })
}

/** Ends the session early: running attempts are aborted, unfinished tasks cancelled. */
function endEarly(state: SupervisorState, status: 'completed' | 'cancelled', commands: SupervisorCommand[]): void {
  const cancelled: number[] = []
  for (const task of state.tasks) {
    if (FINISHED.has(task.status)) continue
    if (task.status === 'running' && !task.waitingRetry) {
      commands.push({ type: 'abort_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
    }
    task.status = 'cancelled'
    task.waitingRetry = false
    cancelled.push(task.taskId)
  }
  if (cancelled.length > 0) commands.push({ type: 'tasks_ended', status: 'cancelled', taskIds: cancelled })
  state.status = status
  commands.push({ type: 'session_ended', status })
}

function fail(
  state: SupervisorState,
  task: TaskState,
  error: string,
  retryable: boolean,
  policy: SupervisionPolicy,
  commands: SupervisorCommand[],
): void {
  const retriesUsed = task.attempt - 1 - (task.attemptBase ?? 0)
  if (retryable && retriesUsed < policy.maxRetries) {
    task.waitingRetry = true
    commands.push({
      type: 'schedule_retry',
      role: task.role,
      taskId: task.taskId,
      attempt: task.attempt,
      delayMs: retryDelay(policy, retriesUsed + 1, policy.random?.() ?? 1),
      error,
    })
    return
  }
  task.status = 'failed'
  commands.push({ type: 'task_failed', role: task.role, taskId: task.taskId, attempt: task.attempt, error })
  skipBlocked(state, commands)
  endIfDone(state, commands)
}

/**
 * A reviewer's verdict on `task` (awaiting review): approve completes it and starts what waited;
 * changes runs a new attempt (its retries counted afresh; the comment is its feedback); reject
 * fails it without retry and skips what depends on it.
 */
function applyVerdict(state: SupervisorState, task: TaskState, verdict: ReviewVerdict, comment: string, commands: SupervisorCommand[]): void {
  if (verdict === 'approve') {
    task.status = 'completed'
    commands.push({ type: 'task_approved', role: task.role, taskId: task.taskId, attempt: task.attempt })
    startReady(state, commands)
    endIfDone(state, commands)
  } else if (verdict === 'changes') {
    task.status = 'running'
    task.attemptBase = task.attempt
    task.attempt += 1
    commands.push({ type: 'run_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
  } else {
    task.status = 'failed'
    commands.push({ type: 'task_failed', role: task.role, taskId: task.taskId, attempt: task.attempt, error: rejectionError(comment) })
    skipBlocked(state, commands)
    endIfDone(state, commands)
  }
}

/**
 * One step of the session supervisor: a pure function of the state and an input.
 * Never throws; an input about an attempt that is not current (a late result after a
 * timeout, a duplicate delivery) is ignored, which is what makes redelivery safe.
 */
export function superviseStep(state: SupervisorState, input: SupervisorInput, policy: SupervisionPolicy): SupervisorStep {
  return withAwaiting(step(state, input, policy))
}

function step(state: SupervisorState, input: SupervisorInput, policy: SupervisionPolicy): SupervisorStep {
  if (state.status !== 'active') return { state, commands: [], ignored: 'session_ended' }
  const next = clone(state)
  const commands: SupervisorCommand[] = []
  switch (input.type) {
    case 'start':
      startReady(next, commands)
      skipBlocked(next, commands)
      endIfDone(next, commands)
      return { state: next, commands }
    case 'cancel':
    case 'complete':
      endEarly(next, input.type === 'cancel' ? 'cancelled' : 'completed', commands)
      return { state: next, commands }
    case 'budget_raised':
      for (const t of next.tasks) if (t.status === 'awaiting_budget') t.status = 'pending'
      startReady(next, commands)
      return commands.length > 0 ? { state: next, commands } : { state, commands: [], ignored: 'stale' }
  }
  const task = next.tasks.find((t) => t.role === input.role)
  if (input.type === 'review') {
    if (!task || task.status !== 'awaiting_review' || task.attempt !== input.attempt) return { state, commands: [], ignored: 'stale' }
    applyVerdict(next, task, input.verdict, input.comment ?? '', commands)
    return { state: next, commands }
  }
  // The agent recorded the attempt as awaiting review and said so; a state loaded since shows it: nothing to do.
  if (input.type === 'task_succeeded' && task?.status === 'awaiting_review' && task.attempt === input.attempt) {
    return { state, commands: [], ignored: 'stale' }
  }
  if (input.type === 'task_succeeded' && task?.status === 'completed' && task.attempt === input.attempt) {
    // The agent records its success (the task's row and event) before it says so; a state loaded
    // since then already shows it. What waited for the task may still have to start: starting only
    // pending tasks, and ending only an active session, this is the same however often it runs.
    startReady(next, commands)
    endIfDone(next, commands)
    return commands.length > 0 ? { state: next, commands } : { state, commands: [], ignored: 'stale' }
  }
  if (!task || task.status !== 'running' || task.attempt !== input.attempt) return { state, commands: [], ignored: 'stale' }
  switch (input.type) {
    case 'retry_due':
      if (!task.waitingRetry) return { state, commands: [], ignored: 'stale' }
      task.waitingRetry = false
      task.attempt += 1
      commands.push({ type: 'run_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
      return { state: next, commands }
    case 'task_succeeded':
      if (task.waitingRetry) return { state, commands: [], ignored: 'stale' }
      task.status = input.review ? 'awaiting_review' : 'completed'
      commands.push({ type: 'task_completed', role: task.role, taskId: task.taskId, attempt: task.attempt })
      startReady(next, commands)
      endIfDone(next, commands)
      return { state: next, commands }
    case 'task_failed':
      if (task.waitingRetry) return { state, commands: [], ignored: 'stale' }
      fail(next, task, input.error, input.retryable, policy, commands)
      return { state: next, commands }
    case 'task_timed_out':
      if (task.waitingRetry) return { state, commands: [], ignored: 'stale' }
      commands.push({ type: 'abort_task', role: task.role, taskId: task.taskId, attempt: task.attempt })
      fail(next, task, 'The task exceeded its time limit.', true, policy, commands)
      return { state: next, commands }
  }
}

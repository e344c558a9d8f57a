export { buildPlanGraph, planStages } from './plan.ts'
export type { PlanGraph, RoleDependencies } from './plan.ts'
export { createSession } from './create-session.ts'
export { forkSession, rolesToRerun } from './fork-session.ts'
export type { ForkOutcome } from './fork-session.ts'
export type { AfterCommit, EndOutcome, ResumeOutcome, ReviewOutcome, SessionControl, VerdictRequest } from './session-control.ts'
export { setSessionBudget, wakeTeamBudgetWaiters } from './budget-wake.ts'
export { retryDelay, superviseStep } from './supervisor-state.ts'
export type {
  SupervisionPolicy,
  SupervisorCommand,
  SupervisorInput,
  SupervisorState,
  SupervisorStep,
  TaskState,
} from './supervisor-state.ts'
export { applySupervisorCommands, loadSupervisorState } from './session-records.ts'
export { recordTaskFailure, recordTaskResult } from './task-records.ts'
export type { OutputDecision, TaskFailureRecord, TaskResultRecord } from './task-records.ts'
export { createActorSessionControl } from './actor-session-control.ts'
export type { ActorSessionControlDeps } from './actor-session-control.ts'
export { agentAddressParts, createAgentBehaviour } from './agent.actor.ts'
export type { AgentBehaviourDeps } from './agent.actor.ts'
export { partialAnalysis, runAgentAttempt } from './agent-job.ts'
export { AGENT_SETTINGS_ENV, agentWorkerEnv, AgentSettingsSchema } from './agent-settings.ts'
export type { AgentSettings } from './agent-settings.ts'
export { AbortTask, EndSession, RetryDue, RunTask, SessionEndReply, StartSession, TaskFailed, TaskSucceeded, TaskTimedOut } from './messages.ts'
export { RunAgentJob } from './run-agent.job.ts'
export type { AgentProgress, RunAgentInput, RunAgentOutput } from './run-agent.job.ts'
export { createSessionSupervisorBehaviour } from './session-supervisor.actor.ts'
export type { SupervisorBehaviourDeps } from './session-supervisor.actor.ts'
export { AGENT_WORKER_ENTRY, createSessionBehaviours, sessionSchedules } from './session-behaviours.ts'
export { endForLostMessage, supervisorDeadLetterError } from './supervisor-dead-letter.ts'
export { ENDED_SESSION_ACTORS_RETENTION_MS, endedSessionActorsSchedule, pruneEndedSessionActors } from './ended-session-actors.ts'
export { findStuckTasks, taskWatchdogSchedule, WATCHDOG_MARGIN_MS } from './task-watchdog.ts'
export type { StuckTask } from './task-watchdog.ts'

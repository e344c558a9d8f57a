export { buildPlanGraph, planStages } from './plan.ts'
export type { PlanGraph, RoleDependencies } from './plan.ts'
export { createDirectSessionControl } from './direct-session-control.ts'
export type { EndOutcome, SessionControl } from './session-control.ts'
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

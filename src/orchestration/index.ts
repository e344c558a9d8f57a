export type { EndOutcome, SessionControl } from './session-control.ts'

import type { AgentRole } from '../agents/index.ts'

/** How bad a mismatch is: an `error` breaks the design, a `warning` weakens it. */
export type FindingSeverity = 'error' | 'warning'

/** A mismatch between two or more roles' outputs, before it is stored. */
export interface NewFinding {
  rule: string
  severity: FindingSeverity
  /** The roles involved, the one that most likely has to change first. */
  roles: AgentRole[]
  message: string
}

/** The finished roles' outputs of one session, as stored (read defensively: models wrote them). */
export type SessionOutputs = Partial<Record<AgentRole, unknown>>

/** One cross-role rule: a pure function of the session's outputs. */
export interface ConsistencyRule {
  /** Stable id, stored as the finding's `rule`: `frontend_calls_backend`. */
  id: string
  /** What the rule asks, for people: "Frontend calls exist in the backend". */
  title: string
  /** True when the roles it reads took part: a rule whose roles were not in the session does not run. */
  applies(present: ReadonlySet<AgentRole>): boolean
  check(outputs: SessionOutputs): NewFinding[]
}

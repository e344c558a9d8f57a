import type { AgentRole } from '../agents/index.ts'
import type { ConsistencyRule, NewFinding, SessionOutputs } from './finding.ts'
import { flowsScreensBuiltRule, frontendCallsBackendRule, migrationsDeployedRule, modelsHaveTablesRule, vulnerabilitiesTakenUpRule } from './rules/index.ts'

/** Every rule, in the order findings are listed. */
export const CONSISTENCY_RULES: readonly ConsistencyRule[] = [
  frontendCallsBackendRule,
  modelsHaveTablesRule,
  vulnerabilitiesTakenUpRule,
  migrationsDeployedRule,
  flowsScreensBuiltRule,
]

/** What an error and a warning cost the score. */
export const ERROR_WEIGHT = 10
export const WARNING_WEIGHT = 3

/** The outcome of checking one session's outputs. */
export interface ConsistencyResult {
  findings: NewFinding[]
  /** 0–100, see {@link consistencyScore}. */
  score: number
  errors: number
  warnings: number
  /** The ids of the rules that ran (their roles took part). */
  rulesRun: string[]
}

/**
 * The score of a set of findings: `max(0, 100 − 10 × errors − 3 × warnings)`. 100 with no
 * finding; an error (a contract broken: a call to a missing endpoint) costs more than a
 * warning (a gap to close: a migration step missing from the deployment).
 */
export function consistencyScore(errors: number, warnings: number): number {
  return Math.max(0, 100 - ERROR_WEIGHT * errors - WARNING_WEIGHT * warnings)
}

/** The title of a rule id, for pages; the id itself for a rule this version does not know. */
export function ruleTitle(id: string): string {
  return CONSISTENCY_RULES.find((r) => r.id === id)?.title ?? id
}

/**
 * Runs every rule whose roles took part (a role takes part when its output is in `outputs`)
 * over the outputs. Pure and deterministic: the same outputs give the same findings in the same order.
 */
export function checkConsistency(outputs: SessionOutputs, rules: readonly ConsistencyRule[] = CONSISTENCY_RULES): ConsistencyResult {
  const present = new Set(Object.keys(outputs).filter((r) => outputs[r as AgentRole] !== undefined) as AgentRole[])
  const findings: NewFinding[] = []
  const rulesRun: string[] = []
  for (const rule of rules) {
    if (!rule.applies(present)) continue
    rulesRun.push(rule.id)
    findings.push(...rule.check(outputs))
  }
  const errors = findings.filter((f) => f.severity === 'error').length
  const warnings = findings.length - errors
  return { findings, score: consistencyScore(errors, warnings), errors, warnings, rulesRun }
}

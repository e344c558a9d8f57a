export { CONSISTENCY_RULES, type ConsistencyResult, checkConsistency, consistencyScore, ERROR_WEIGHT, ruleTitle, WARNING_WEIGHT } from './check.ts'
export type { ConsistencyRule, FindingSeverity, NewFinding, SessionOutputs } from './finding.ts'
export { sameName, samePath, sameScreen, singularOf } from './names.ts'
export { prepareSessionCheck, type SessionCheckWrite } from './session-check.ts'

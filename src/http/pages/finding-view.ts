import { ruleTitle } from '../../consistency/index.ts'
import type { FindingJson } from '../../sessions/index.ts'
import type { FindingView } from '../../views/index.ts'

/** A stored finding as the pages show it, with its rule's title. */
export function findingView(f: FindingJson): FindingView {
  return { id: f.id, rule: f.rule, rule_title: ruleTitle(f.rule), severity: f.severity, roles: f.roles, message: f.message, status: f.status, note: f.note }
}

import type { ConsistencyRule, NewFinding } from '../finding.ts'
import { stringsAt } from '../output-fields.ts'

const STOP = new Set(['the', 'and', 'for', 'with', 'then', 'its', 'their', 'from', 'into', 'onto', 'that', 'this', 'all', 'new', 'run', 'step'])

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_]{3,}/g)?.filter((w) => !STOP.has(w)) ?? []
}

/** A DBA step is in a deployment step when one contains the other, or it shares at least 60 % of the DBA step's words. */
export function stepCovered(step: string, deployment: readonly string[]): boolean {
  const flat = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim()
  const needle = flat(step)
  const words = new Set(wordsOf(step))
  return deployment.some((d) => {
    const hay = flat(d)
    if (hay.includes(needle) || (hay.length >= 12 && needle.includes(hay))) return true
    if (words.size === 0) return false
    const theirs = new Set(wordsOf(d))
    let shared = 0
    for (const w of words) if (theirs.has(w)) shared++
    return shared / words.size >= 0.6
  })
}

/** Every migration step of the DBA appears in the IT administrator's deployment steps. One warning per missing step. */
export const migrationsDeployedRule: ConsistencyRule = {
  id: 'migrations_deployed',
  title: 'Migration steps are in the deployment',
  applies: (present) => present.has('database_administrator') && present.has('it_administrator'),
  check(outputs) {
    const steps = stringsAt(outputs.database_administrator, 'migration_steps') ?? []
    const deployment = stringsAt(outputs.it_administrator, 'deployment_steps') ?? []
    const findings: NewFinding[] = []
    for (const step of new Set(steps.map((s) => s.trim()).filter(Boolean))) {
      if (stepCovered(step, deployment)) continue
      findings.push({
        rule: 'migrations_deployed',
        severity: 'warning',
        roles: ['it_administrator', 'database_administrator'],
        message: `The DBA's migration step "${step}" is not in the IT administrator's deployment steps.`,
      })
    }
    return findings
  },
}

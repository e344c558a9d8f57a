import type { AgentRole } from '../../agents/index.ts'
import type { ConsistencyRule, NewFinding } from '../finding.ts'
import { objectsAt, textAt } from '../output-fields.ts'

const TAKERS = ['backend_developer', 'it_administrator'] as const satisfies readonly AgentRole[]

/**
 * Every high or critical vulnerability of the security specialist is taken up: its id (`V1`)
 * is among what the backend or the IT administrator `mitigates`. A critical one left over is an
 * error, a high one a warning; one without an id cannot be referenced, so it is left over too.
 */
export const vulnerabilitiesTakenUpRule: ConsistencyRule = {
  id: 'vulnerabilities_taken_up',
  title: 'High and critical vulnerabilities are taken up',
  applies: (present) => present.has('security_specialist') && TAKERS.some((r) => present.has(r)),
  check(outputs) {
    const takers = TAKERS.filter((r) => outputs[r] !== undefined)
    const taken = new Set(
      takers.flatMap((r) => (objectsAt(outputs[r], 'mitigates') ?? []).map((m) => textAt(m, 'vulnerability_id').toUpperCase()).filter(Boolean)),
    )
    const findings: NewFinding[] = []
    for (const v of objectsAt(outputs.security_specialist, 'vulnerabilities') ?? []) {
      const severity = textAt(v, 'severity').toLowerCase()
      if (severity !== 'critical' && severity !== 'high') continue
      const id = textAt(v, 'id').toUpperCase()
      if (id && taken.has(id)) continue
      const title = textAt(v, 'title') || 'untitled'
      const who = takers.map((r) => (r === 'backend_developer' ? 'the backend' : 'the IT administrator')).join(' or ')
      findings.push({
        rule: 'vulnerabilities_taken_up',
        severity: severity === 'critical' ? 'error' : 'warning',
        roles: ['security_specialist', ...takers],
        message: id
          ? `The ${severity} vulnerability ${id} "${title}" is not taken up: no mitigation by ${who} names ${id}.`
          : `The ${severity} vulnerability "${title}" has no id, so no mitigation by ${who} can name it.`,
      })
    }
    return findings
  },
}

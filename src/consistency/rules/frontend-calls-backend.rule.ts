import type { ConsistencyRule, NewFinding } from '../finding.ts'
import { samePath } from '../names.ts'
import { objectsAt, textAt } from '../output-fields.ts'

/**
 * Every API call the frontend makes is an endpoint the backend defines: same method, same
 * path with parameters matched by position (`/api/invoices/:id` = `/api/invoices/{invoiceId}`).
 * One error per call the backend lacks. Skipped calls: no method or path (nothing to compare).
 */
export const frontendCallsBackendRule: ConsistencyRule = {
  id: 'frontend_calls_backend',
  title: 'Frontend calls exist in the backend',
  applies: (present) => present.has('frontend_developer') && present.has('backend_developer'),
  check(outputs) {
    const calls = objectsAt(outputs.frontend_developer, 'api_calls') ?? []
    const endpoints = (objectsAt(outputs.backend_developer, 'endpoints') ?? []).map((e) => ({ method: textAt(e, 'method').toUpperCase(), path: textAt(e, 'path') }))
    const findings: NewFinding[] = []
    const seen = new Set<string>()
    for (const call of calls) {
      const method = textAt(call, 'method').toUpperCase()
      const path = textAt(call, 'path')
      if (!method || !path || seen.has(`${method} ${path}`)) continue
      seen.add(`${method} ${path}`)
      if (endpoints.some((e) => e.method === method && samePath(e.path, path))) continue
      const samePathOtherMethod = endpoints.filter((e) => samePath(e.path, path)).map((e) => e.method)
      const hint = samePathOtherMethod.length > 0 ? ` (the backend has ${samePathOtherMethod.join(', ')} on that path)` : ''
      findings.push({
        rule: 'frontend_calls_backend',
        severity: 'error',
        roles: ['frontend_developer', 'backend_developer'],
        message: `The frontend calls ${method} ${path}, which the backend does not define${hint}.`,
      })
    }
    return findings
  },
}

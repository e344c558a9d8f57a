import type { ConsistencyRule, NewFinding } from '../finding.ts'
import { sameName } from '../names.ts'
import { objectsAt, textAt } from '../output-fields.ts'

/**
 * Every backend data model has a table among the DBA's schema changes, names compared
 * whatever their case, plural or separators (`InvoiceLine` = `invoice_lines`). One error per model.
 */
export const modelsHaveTablesRule: ConsistencyRule = {
  id: 'models_have_tables',
  title: 'Backend models have tables',
  applies: (present) => present.has('backend_developer') && present.has('database_administrator'),
  check(outputs) {
    const models = (objectsAt(outputs.backend_developer, 'data_models') ?? []).map((m) => textAt(m, 'name')).filter(Boolean)
    const tables = (objectsAt(outputs.database_administrator, 'schema_changes') ?? []).map((c) => textAt(c, 'table')).filter(Boolean)
    const findings: NewFinding[] = []
    for (const model of new Set(models)) {
      if (tables.some((t) => sameName(model, t))) continue
      const known = tables.length > 0 ? ` (its schema changes touch ${[...new Set(tables)].join(', ')})` : ''
      findings.push({
        rule: 'models_have_tables',
        severity: 'error',
        roles: ['database_administrator', 'backend_developer'],
        message: `The backend's data model ${model} has no table in the DBA's schema changes${known}.`,
      })
    }
    return findings
  },
}

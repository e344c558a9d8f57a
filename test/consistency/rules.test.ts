import { describe, expect, it } from 'bun:test'
import { checkConsistency, consistencyScore, type SessionOutputs } from '../../src/consistency/index.ts'
import {
  flowsScreensBuiltRule,
  frontendCallsBackendRule,
  migrationsDeployedRule,
  modelsHaveTablesRule,
  vulnerabilitiesTakenUpRule,
} from '../../src/consistency/rules/index.ts'

const backend = (endpoints: Array<[string, string]>, models: string[] = [], mitigates: string[] = []) => ({
  endpoints: endpoints.map(([method, path]) => ({ method, path, purpose: 'x', status_codes: [200] })),
  data_models: models.map((name) => ({ name, fields: [{ name: 'id', type: 'bigint' }] })),
  mitigates: mitigates.map((id) => ({ vulnerability_id: id, measure: 'done' })),
})
const frontend = (calls: Array<[string, string]>, components: string[] = []) => ({
  api_calls: calls.map(([method, path]) => ({ method, path, purpose: 'x' })),
  components: components.map((name) => ({ name, responsibility: 'x', props: [] })),
})

describe('frontend calls exist in the backend', () => {
  const rule = frontendCallsBackendRule
  it('finds nothing when every call is an endpoint, parameters matched by position whatever their names', () => {
    const outputs: SessionOutputs = {
      backend_developer: backend([['GET', '/api/invoices/:id'], ['POST', '/api/invoices']]),
      frontend_developer: frontend([['get', '/api/invoices/{invoiceId}/'], ['POST', '/api/Invoices?draft=1']]),
    }
    expect(rule.check(outputs)).toEqual([])
  })
  it('gives an error naming the frontend and the backend for a call the backend lacks', () => {
    const outputs: SessionOutputs = {
      backend_developer: backend([['GET', '/api/invoices/:id']]),
      frontend_developer: frontend([['DELETE', '/api/invoices/:id'], ['GET', '/api/invoices/:id/lines']]),
    }
    const findings = rule.check(outputs)
    expect(findings.map((f) => f.severity)).toEqual(['error', 'error'])
    expect(findings[0]?.roles).toEqual(['frontend_developer', 'backend_developer'])
    expect(findings[0]?.message).toContain('DELETE /api/invoices/:id')
    expect(findings[0]?.message).toContain('the backend has GET on that path')
  })
  it('does not take a literal segment for a parameter', () => {
    const outputs: SessionOutputs = { backend_developer: backend([['GET', '/api/invoices/:id']]), frontend_developer: frontend([['GET', '/api/invoices/export']]) }
    expect(rule.check(outputs)).toHaveLength(1)
  })
  it('finds nothing in an older frontend output without api_calls', () => {
    expect(rule.check({ backend_developer: backend([['GET', '/a']]), frontend_developer: { components: [] } })).toEqual([])
  })
  it('does not run without the backend', () => {
    expect(rule.applies(new Set(['frontend_developer']))).toBe(false)
    expect(checkConsistency({ frontend_developer: frontend([['GET', '/nowhere']]) }).findings).toEqual([])
  })
})

describe('backend models have tables', () => {
  const rule = modelsHaveTablesRule
  const dba = (...tables: string[]) => ({ schema_changes: tables.map((table) => ({ table, description: 'x', sql: 'x' })) })
  it('matches names in other cases, plurals and separators', () => {
    const outputs: SessionOutputs = {
      backend_developer: backend([], ['InvoiceLine', 'Category', 'address', 'PasswordReset', 'Person', 'status']),
      database_administrator: dba('invoice_lines', 'categories', 'public.Addresses', 'password-resets', 'people', 'statuses'),
    }
    expect(rule.check(outputs)).toEqual([])
  })
  it('gives an error for a model without a table', () => {
    const findings = rule.check({ backend_developer: backend([], ['Invoice', 'InvoiceAuditEntry']), database_administrator: dba('invoices') })
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ severity: 'error', roles: ['database_administrator', 'backend_developer'] })
    expect(findings[0]?.message).toContain('InvoiceAuditEntry')
  })
  it('does not run without the DBA, and reads odd shapes without throwing', () => {
    expect(rule.applies(new Set(['backend_developer']))).toBe(false)
    expect(rule.check({ backend_developer: { data_models: 'none' }, database_administrator: { schema_changes: [null, 3] } })).toEqual([])
  })
})

describe('high and critical vulnerabilities are taken up', () => {
  const rule = vulnerabilitiesTakenUpRule
  const security = (...vs: Array<[string | null, string]>) => ({
    vulnerabilities: vs.map(([id, severity], i) => ({ ...(id ? { id } : {}), title: `T${i}`, severity, description: 'd', mitigation: 'm' })),
  })
  it('finds nothing when the backend or the IT administrator names each high or critical id', () => {
    const outputs: SessionOutputs = {
      security_specialist: security(['V1', 'critical'], ['V2', 'high'], ['V3', 'medium']),
      backend_developer: backend([], [], ['v1']),
      it_administrator: { mitigates: [{ vulnerability_id: 'V2', measure: 'x' }] },
    }
    expect(rule.check(outputs)).toEqual([])
  })
  it('gives an error for a critical one and a warning for a high one left over, and ignores medium ones', () => {
    const findings = rule.check({ security_specialist: security(['V1', 'critical'], ['V2', 'high'], ['V3', 'low']), it_administrator: { mitigates: [] } })
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning'])
    expect(findings[0]?.roles).toEqual(['security_specialist', 'it_administrator'])
  })
  it('counts a high vulnerability without an id (an older output) as not taken up', () => {
    const findings = rule.check({ security_specialist: security([null, 'high']), backend_developer: backend([]) })
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('has no id')
  })
  it('runs with either taker, not without both', () => {
    expect(rule.applies(new Set(['security_specialist', 'backend_developer']))).toBe(true)
    expect(rule.applies(new Set(['security_specialist', 'frontend_developer']))).toBe(false)
  })
})

describe('migration steps are in the deployment', () => {
  const rule = migrationsDeployedRule
  it('finds a step copied, reworded or embedded in a deployment step', () => {
    const outputs: SessionOutputs = {
      database_administrator: { migration_steps: ['Create invoices and its indexes', 'Backfill existing rows in batches of 1,000'] },
      it_administrator: { deployment_steps: ['Back up', 'Migration: create INVOICES and its indexes', 'Backfill the existing rows (batches of 1,000)'] },
    }
    expect(rule.check(outputs)).toEqual([])
  })
  it('gives a warning per step missing from the deployment', () => {
    const findings = rule.check({
      database_administrator: { migration_steps: ['Drop the legacy invoices_old table'] },
      it_administrator: { deployment_steps: ['Apply the migration (expand only)'] },
    })
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', roles: ['it_administrator', 'database_administrator'] })])
  })
  it('does not run without the IT administrator', () => {
    expect(rule.applies(new Set(['database_administrator']))).toBe(false)
  })
})

describe("UI/UX flows' screens are built", () => {
  const rule = flowsScreensBuiltRule
  const uiux = (...screens: string[][]) => ({ user_flows: screens.map((s, i) => ({ name: `Flow ${i}`, steps: ['a'], screens: s })) })
  it('matches screens to components whatever their case, plural or Screen/Page suffix', () => {
    const outputs: SessionOutputs = {
      ui_ux_designer: uiux(['Invoice list', 'InvoiceDetailPage'], ['invoice-forms']),
      frontend_developer: frontend([], ['InvoiceList', 'InvoiceDetail', 'InvoiceForm']),
    }
    expect(rule.check(outputs)).toEqual([])
  })
  it('gives one warning per missing screen, naming its flows', () => {
    const findings = rule.check({ ui_ux_designer: uiux(['InvoiceWizard'], ['InvoiceWizard']), frontend_developer: frontend([], ['InvoiceList']) })
    expect(findings).toHaveLength(1)
    expect(findings[0]?.message).toContain('"Flow 0", "Flow 1"')
  })
  it('finds nothing in flows without screens (older outputs)', () => {
    expect(rule.check({ ui_ux_designer: { user_flows: [{ name: 'a', steps: ['b'] }] }, frontend_developer: frontend([], []) })).toEqual([])
  })
})

describe('the score', () => {
  it('is 100 with no finding and weighs an error more than a warning', () => {
    expect(consistencyScore(0, 0)).toBe(100)
    expect(consistencyScore(1, 0)).toBeLessThan(consistencyScore(0, 1))
    expect(consistencyScore(20, 0)).toBe(0)
  })
  it('runs only the rules whose roles took part', () => {
    const result = checkConsistency({ backend_developer: backend([['GET', '/a']], ['A']), frontend_developer: frontend([['GET', '/b']]) })
    expect(result.rulesRun).toEqual(['frontend_calls_backend'])
    expect(result).toMatchObject({ errors: 1, warnings: 0, score: 90 })
  })
})

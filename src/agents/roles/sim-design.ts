import { createRandom, hashText } from '../providers/sim-random.ts'
import type { FeatureTerms } from '../role-definition.ts'
import type { AgentRole } from '../role-ids.ts'

/** A vulnerability the simulated security specialist names, and the role that takes it up (null: nobody's to mitigate). */
export interface SimVulnerability {
  id: string
  title: string
  severity: 'critical' | 'high' | 'medium' | 'low'
  description: string
  mitigation: string
  by: AgentRole | null
}

/**
 * The one design every simulated role writes its part of, so the simulated team agrees with
 * itself whatever the plan (roles of one stage do not see each other's outputs): the frontend
 * calls the backend's endpoints, the DBA's table is the backend's model, the IT administrator
 * deploys the DBA's migration and takes up the vulnerabilities the security specialist names.
 * Drawn from the feature's words and a seed of them only, never from one role's input.
 */
export interface SimDesign {
  entity: string
  table: string
  endpoints: { method: 'GET' | 'POST' | 'PATCH'; path: string; purpose: string; status_codes: number[] }[]
  components: { name: string; responsibility: string; props: string[] }[]
  vulnerabilities: SimVulnerability[]
  migrationSteps: string[]
}

const cache = new WeakMap<FeatureTerms, SimDesign>()

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1)
}

/** The shared design of a feature; the same terms give the same design. */
export function simDesign(feature: FeatureTerms): SimDesign {
  const hit = cache.get(feature)
  if (hit) return hit
  const random = createRandom(hashText(`design\u0000${feature.name}\u0000${feature.summary}\u0000${feature.resource}`))
  const entity = feature.entities[0] ?? 'Item'
  const { resource, subject, subjects } = feature
  const table = resource.replace(/-/g, '_')
  const verb = feature.verbs[0]
  const a = (word: string): string => `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`
  const endpoints: SimDesign['endpoints'] = [
    { method: 'GET', path: `/api/${resource}`, purpose: `List the caller's team's ${subjects}, newest first`, status_codes: [200, 401] },
    { method: 'POST', path: `/api/${resource}`, purpose: `Create ${a(subject)}`, status_codes: [201, 401, 422] },
    { method: 'GET', path: `/api/${resource}/:id`, purpose: `Read one ${subject}`, status_codes: [200, 404] },
    { method: 'PATCH', path: `/api/${resource}/:id`, purpose: `Update ${a(subject)}`, status_codes: [200, 404, 409, 422] },
    ...(verb ? [{ method: 'POST' as const, path: `/api/${resource}/:id/${verb}`, purpose: `${capitalised(verb)} ${a(subject)}`, status_codes: [202, 404, 409] }] : []),
  ]
  const components = [
    { name: `${entity}List`, responsibility: `Paginated list of ${subjects}`, props: ['items', 'nextCursor'] },
    { name: `${entity}Form`, responsibility: `Create or edit ${a(subject)}`, props: ['value', 'errors'] },
    { name: `${entity}Detail`, responsibility: `Show one ${subject} and its actions`, props: [entity.charAt(0).toLowerCase() + entity.slice(1)] },
  ]
  const optional: Omit<SimVulnerability, 'id'>[] = [
    { title: `Stored XSS in ${subject} text fields`, severity: 'medium', description: 'User text rendered into HTML fragments could carry script.', mitigation: 'Escape on render (Kita `safe`) and keep a strict CSP.', by: null },
    { title: 'Missing rate limit on write endpoints', severity: 'low', description: `Bulk creation of ${subjects} can exhaust storage.`, mitigation: 'Per-user rate limit with 429 and Retry-After.', by: 'it_administrator' },
    { title: 'CSRF on state-changing forms', severity: 'medium', description: 'A cross-site form could submit on behalf of a logged-in user.', mitigation: 'Check Origin against APP_ORIGIN and require the CSRF header.', by: 'backend_developer' },
    { title: `Unencrypted backups of ${subjects}`, severity: 'high', description: `Database dumps holding ${subjects} sit in object storage in the clear.`, mitigation: 'Encrypt backups at rest with a managed key and restrict the bucket to the backup role.', by: 'it_administrator' },
  ]
  // Seeded Fisher–Yates over the optional ones, keep one or two: the IDOR always comes first.
  for (let i = optional.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[optional[i], optional[j]] = [optional[j] as Omit<SimVulnerability, 'id'>, optional[i] as Omit<SimVulnerability, 'id'>]
  }
  const chosen: Omit<SimVulnerability, 'id'>[] = [
    { title: `Insecure direct object reference on /api/${resource}/:id`, severity: 'high', description: `A user could read another team's ${subjects} by guessing ids.`, mitigation: "Scope every query by the caller's team and return 404 otherwise.", by: 'backend_developer' },
    ...optional.slice(0, 1 + Math.floor(random() * 2)),
  ]
  const design: SimDesign = {
    entity,
    table,
    endpoints,
    components,
    vulnerabilities: chosen.map((v, i) => ({ ...v, id: `V${i + 1}` })),
    migrationSteps: [
      `Create ${table} and its indexes (CREATE INDEX CONCURRENTLY on a live database)`,
      'Deploy code that writes to the new table',
      'Backfill existing rows in batches of 1,000',
      'Verify counts, then enable reads from the new table',
    ],
  }
  cache.set(feature, design)
  return design
}

/**
 * What a role takes up of the design's vulnerabilities, as its `mitigates` field: its own, and every
 * other high or critical one from its side (the IT administrator detects, the backend keeps secrets
 * out of reach), so a session with only one of the two still has each of them taken up.
 */
export function simMitigations(design: SimDesign, role: AgentRole): { vulnerability_id: string; measure: string }[] {
  const serious = (v: SimVulnerability): boolean => v.severity === 'high' || v.severity === 'critical'
  return design.vulnerabilities
    .filter((v) => v.by === role || serious(v))
    .map((v) => ({
      vulnerability_id: v.id,
      measure:
        v.by === role
          ? v.mitigation
          : role === 'it_administrator'
            ? `Alert on bursts of 403/404 answers that look like probing for "${v.title}"; the fix ships with the code.`
            : `Hash tokens and encrypt personal fields before they are stored, so "${v.title}" exposes no secret.`,
    }))
}

import { z } from 'zod'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign } from './sim-design.ts'

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const

/** Security Specialist: threat model, vulnerabilities and mitigations. */
export const securitySpecialistRole = defineRole({
  id: 'security_specialist',
  displayName: 'Security Specialist',
  description: 'Reviews the design for threats: vulnerabilities with severity, overall risk, mitigations and compliance.',
  capabilities: ['audit', 'review', 'document'],
  dependsOn: ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer', 'ui_ux_designer'],
  prompt: [
    'You are the Security Specialist of a seven-person development team.',
    'Expertise: threat modelling (STRIDE), OWASP Top 10 and ASVS, authentication and authorisation, data protection.',
    "Responsibilities: review the team's design and code for vulnerabilities, rate each by severity, give the overall",
    'risk level, the mitigations to ship with the feature, and any compliance implications (GDPR, SOC 2, PCI).',
    'How you think: follow the data from the browser to the database and ask who can read or change it at each hop;',
    'prefer controls that fail closed.',
    'Output style: each vulnerability with a severity and a concrete mitigation; no generic advice.',
    'Consistency: number the vulnerabilities V1, V2… in `id`: the backend and the IT administrator take them up by id,',
    'and every high or critical one must be taken up by one of them.',
  ].join('\n'),
  schema: roleOutputSchema({
    vulnerabilities: z
      .array(
        z.object({
          id: z.string().regex(/^V\d+$/, { message: 'must be V1, V2…' }).describe('V1, V2… in order: how other roles refer to it'),
          title: z.string().min(1).max(200),
          severity: z.enum(SEVERITIES),
          description: z.string().min(1).max(2000),
          mitigation: z.string().min(1).max(2000),
        }),
      )
      .max(25),
    risk_level: z.enum(['low', 'medium', 'high', 'critical']),
    mitigations: z.array(z.string().min(3).max(1000)).max(25),
    compliance_notes: z.array(z.string().min(3).max(1000)).max(15),
  }),
  simulate(ctx) {
    const resource = ctx.feature.resource
    const { subject, subjects } = ctx.feature
    const Subject = subject.charAt(0).toUpperCase() + subject.slice(1)
    const design = simDesign(ctx.feature)
    const vulnerabilities = design.vulnerabilities.map(({ by: _by, ...v }) => v)
    // A mismatched security specialist names a critical vulnerability that no other role's part of the design takes up.
    if (ctx.mismatch) {
      vulnerabilities.push({
        id: `V${vulnerabilities.length + 1}`,
        title: `Unencrypted ${subject} exports`,
        severity: 'critical',
        description: `Exported ${subjects} land in a public bucket without encryption.`,
        mitigation: 'Encrypt exports and serve them through short-lived signed URLs.',
      })
    }
    const worst: 'critical' | 'high' | 'medium' = vulnerabilities.some((v) => v.severity === 'critical') ? 'critical' : vulnerabilities.some((v) => v.severity === 'high') ? 'high' : 'medium'
    return {
      analysis: `${Subject} data is team-private and written through several new endpoints, so authorisation and output encoding are the main risks. ${ctx.feature.summary}`,
      approach: `Threat-model the path from form to database, then check each endpoint for authz, validation and encoding. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Require team-scoped authorisation on every ${subject} query`,
          rationale: 'Closes IDOR by construction instead of per-route checks.',
          category: 'security',
        },
        {
          text: `Log ${subject} deletions with actor and timestamp`,
          rationale: 'Gives an audit trail for incident response.',
          category: 'security',
        },
      ],
      concerns: ctx.some(['Secrets in logs', 'Third-party scripts on the page', `Retention of deleted ${subjects}`], 1, 2),
      confidence: ctx.confidence(),
      vulnerabilities,
      risk_level: worst,
      mitigations: vulnerabilities.map((v) => v.mitigation),
      compliance_notes: ctx.some([`If ${subjects} hold personal data, list them in the GDPR record of processing`, 'Access logging supports SOC 2 CC7', 'Deletion must honour erasure requests within 30 days'], 1, 2),
    }
  },
})

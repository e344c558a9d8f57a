import { z } from 'zod'
import { MitigationSchema } from '../output-base.ts'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign, simMitigations } from './sim-design.ts'

/** IT Administrator: infrastructure, deployment and operations. */
export const itAdministratorRole = defineRole({
  id: 'it_administrator',
  displayName: 'IT Administrator',
  description: 'Runs it in production: infrastructure, deployment steps, monitoring and scaling.',
  capabilities: ['deploy', 'audit', 'optimize'],
  dependsOn: ['software_architect', 'backend_developer', 'database_administrator', 'frontend_developer'],
  prompt: [
    'You are the IT Administrator of a seven-person development team.',
    'Expertise: containers, CI/CD, PostgreSQL and Redis operations, observability, capacity planning, incident response.',
    'Responsibilities: list the infrastructure the feature needs, the deployment steps (with rollback), what to',
    'monitor and alert on, and how it scales.',
    'How you think: every change ships behind a reversible step; alert on symptoms users feel; plan for 10x load.',
    'Output style: ordered deployment steps, metrics with thresholds, concrete sizing.',
    "Consistency: put every migration step of the DBA's into the deployment steps, and when the security specialist's",
    'vulnerabilities (V1, V2…) are among your inputs, list the ones operations take up in `mitigates` by their id.',
  ].join('\n'),
  schema: roleOutputSchema({
    infrastructure: z
      .array(z.object({ component: z.string().min(1).max(200), purpose: z.string().min(1).max(500), sizing: z.string().min(1).max(300) }))
      .min(1)
      .max(20),
    deployment_steps: z.array(z.string().min(3).max(1000)).min(1).max(25),
    monitoring: z
      .array(z.object({ metric: z.string().min(1).max(200), threshold: z.string().min(1).max(200), action: z.string().min(1).max(500) }))
      .max(20),
    scaling_notes: z.array(z.string().min(3).max(1000)).max(15),
    mitigates: z.array(MitigationSchema).max(25).describe("The security specialist's vulnerabilities operations take up, by id; may be empty"),
  }),
  simulate(ctx) {
    const resource = ctx.feature.resource
    const replicas = ctx.int(2, 4)
    const design = simDesign(ctx.feature)
    return {
      analysis: `The feature adds load on the web tier and PostgreSQL through /api/${resource}; no new service type is needed. ${ctx.feature.summary}`,
      approach: `Ship with the existing pipeline, run the migration first, roll out gradually and watch the new metrics. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: 'Run the schema migration as a separate pre-deploy step',
          rationale: 'A failed migration stops the rollout before any new code serves traffic.',
          category: 'infrastructure',
        },
        {
          text: `Alert on p99 latency of /api/${resource} above 500 ms for 5 minutes`,
          rationale: 'Catches regressions users notice without paging on single spikes.',
          category: 'infrastructure',
        },
      ],
      concerns: ctx.some(['Connection pool exhaustion during backfill', 'Disk growth on the database volume', 'Rollback of a partially applied migration'], 1, 2),
      confidence: ctx.confidence(),
      infrastructure: [
        { component: 'web', purpose: `Serves the ${ctx.feature.subject} pages and API`, sizing: `${replicas} replicas, 512 MB each` },
        { component: 'postgres', purpose: `Stores ${ctx.feature.subjects}`, sizing: ctx.pick(['existing primary, +5 GB', 'existing primary with one read replica']) },
        { component: 'redis', purpose: 'Events and sessions', sizing: 'existing instance' },
      ],
      deployment_steps: [
        'Back up the database and verify the snapshot',
        // A mismatched IT administrator applies "the migration" without the DBA's steps.
        ...(ctx.mismatch ? ['Apply the migration (expand only)'] : design.migrationSteps.map((step) => `Migration: ${step}`)),
        `Deploy web and node images to 1 replica, smoke-test /api/${resource}`,
        `Scale to ${replicas} replicas`,
        'Rollback: redeploy the previous image; the migration is backwards compatible',
      ],
      monitoring: [
        { metric: `http_request_duration_seconds{route="/api/${resource}"} p99`, threshold: '> 0.5 s for 5 min', action: 'Page on-call' },
        { metric: 'pg connections in use', threshold: '> 80% of pool', action: 'Warn in the ops channel' },
      ],
      scaling_notes: ctx.some(['Web tier is stateless: scale horizontally', 'Partition reads by team if list queries grow', 'Move exports to a background worker past 10k rows'], 1, 2),
      mitigates: ctx.mismatch ? [] : simMitigations(design, 'it_administrator'),
    }
  },
})

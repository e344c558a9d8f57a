import { z } from 'zod'
import { CodeSnippetSchema, MitigationSchema } from '../output-base.ts'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign, simMitigations } from './sim-design.ts'

/** Backend Developer: turns the architecture into endpoints, models and code. */
export const backendDeveloperRole = defineRole({
  id: 'backend_developer',
  displayName: 'Backend Developer',
  description: 'Implements the server side: HTTP endpoints, domain models, validation and data access.',
  capabilities: ['implement', 'test', 'review', 'optimize'],
  dependsOn: ['software_architect'],
  prompt: [
    'You are the Backend Developer of a seven-person development team.',
    'Expertise: API design, domain modelling, validation, transactions, performance of server code.',
    "Responsibilities: turn the architect's components into concrete endpoints and data models, write the core",
    'code paths, and say what must be tested. The frontend developer builds against your endpoints.',
    'How you think: contracts first (request, response, status codes), then the happy path, then every failure;',
    'keep handlers thin and push rules into the domain; measure before optimising.',
    'Output style: concrete endpoints with methods and paths, models with typed fields, short runnable snippets.',
    'Consistency: every data model needs a table in the DBA\'s schema changes (same name); when the security specialist\'s',
    'vulnerabilities (V1, V2…) are among your inputs, list the ones your code takes up in `mitigates` by their id.',
  ].join('\n'),
  schema: roleOutputSchema({
    endpoints: z
      .array(
        z.object({
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
          path: z.string().regex(/^\//, { message: 'must start with /' }).max(300),
          purpose: z.string().min(1).max(500),
          status_codes: z.array(z.number().int().min(100).max(599)).max(10),
        }),
      )
      .min(1)
      .max(25),
    data_models: z
      .array(
        z.object({
          name: z.string().min(1).max(100),
          fields: z.array(z.object({ name: z.string().min(1).max(100), type: z.string().min(1).max(100) })).min(1).max(40),
        }),
      )
      .min(1)
      .max(15),
    code_snippets: z.array(CodeSnippetSchema).max(8),
    performance_notes: z.array(z.string().min(3).max(1000)).max(15),
    mitigates: z.array(MitigationSchema).max(25).describe("The security specialist's vulnerabilities this code takes up, by id; may be empty"),
  }),
  simulate(ctx) {
    const entity = ctx.feature.entities[0] ?? 'Item'
    const resource = ctx.feature.resource
    const { subject, subjects } = ctx.feature
    const table = resource.replace(/-/g, '_')
    const fields = [
      { name: 'id', type: 'bigint' },
      { name: 'team_id', type: 'bigint' },
      ...ctx.some(['title:string', 'status:enum', 'amount:numeric', 'due_at:timestamptz', 'owner_id:bigint', 'notes:text'], 2, 4).map((f) => {
        const [name, type] = f.split(':') as [string, string]
        return { name, type }
      }),
      { name: 'created_at', type: 'timestamptz' },
    ]
    const design = simDesign(ctx.feature)
    // A mismatched backend drops the read-one endpoint the frontend calls and adds a model the DBA has no table for.
    const endpoints = design.endpoints.filter((e) => !(ctx.mismatch && e.method === 'GET' && e.path.endsWith('/:id')))
    const models = [{ name: entity, fields }, ...(ctx.mismatch ? [{ name: `${entity}AuditEntry`, fields: [{ name: 'id', type: 'bigint' }, { name: 'change', type: 'jsonb' }] }] : [])]
    return {
      analysis: `The backend must expose ${subjects} to the UI and keep every ${subject} consistent. ${ctx.feature.summary}`,
      approach: `REST endpoints under /api/${resource}, zod validation at the edge, one transaction per write. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Expose ${subjects} as a REST resource at /api/${resource}`,
          rationale: 'Predictable URLs the frontend and tests can rely on; matches the rest of the API.',
          category: 'api',
        },
        {
          text: `Validate every ${subject} payload with a zod schema and return 422 with field errors`,
          rationale: 'Bad input never reaches the database and the UI can show precise messages.',
          category: 'api',
        },
        ...(ctx.int(0, 1) === 1
          ? [{ text: `Use optimistic concurrency on ${subject} updates`, rationale: 'Concurrent edits get 409 instead of silently overwriting.', category: 'data' }]
          : []),
      ],
      concerns: ctx.some([`Pagination of large ${subject} lists`, 'Idempotency of retried POSTs', `Authorisation checks on every ${subject} route`], 1, 2),
      confidence: ctx.confidence(),
      endpoints: endpoints.map((e) => ({ ...e, status_codes: [...e.status_codes] })),
      data_models: models,
      code_snippets: [
        {
          title: `Create ${subject} route`,
          language: 'typescript',
          code: [
            `app.post('/api/${resource}', async ({ body, user }) => {`,
            `  const input = ${entity}Input.parse(body)`,
            `  return db.transaction().execute((trx) => create${entity}(trx, user.teamId, input))`,
            '})',
          ].join('\n'),
        },
      ],
      performance_notes: ctx.some(
        [`Index ${table}(team_id, created_at) for the list query`, 'Keep list responses under 100 rows with keyset pagination', 'Batch event publishing after commit'],
        1,
        2,
      ),
      mitigates: ctx.mismatch ? [] : simMitigations(design, 'backend_developer'),
    }
  },
})

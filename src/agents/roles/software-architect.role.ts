import { z } from 'zod'
import { defineRole, roleOutputSchema } from '../role-definition.ts'

const PATTERNS = [
  'Layered architecture',
  'Hexagonal (ports and adapters)',
  'Event-driven messaging',
  'CQRS for read-heavy views',
  'Outbox for reliable events',
  'Modular monolith',
  'Backend for frontend',
  'Saga for multi-step workflows',
  'Repository pattern',
] as const

const STACK = [
  { layer: 'runtime', technology: 'Bun + TypeScript', rationale: 'one language from server to tests, fast start-up' },
  { layer: 'http', technology: 'Elysia', rationale: 'typed routes and schema validation at the edge' },
  { layer: 'database', technology: 'PostgreSQL', rationale: 'transactions, JSONB and mature indexing' },
  { layer: 'cache', technology: 'Redis', rationale: 'shared fast state and streams between nodes' },
  { layer: 'ui', technology: 'Server-rendered HTML with htmx', rationale: 'no client bundle, progressive enhancement' },
  { layer: 'queue', technology: 'Redis Streams', rationale: 'ordered, replayable delivery without another broker' },
] as const

/** Software Architect: shapes the system before anyone builds it. */
export const softwareArchitectRole = defineRole({
  id: 'software_architect',
  displayName: 'Software Architect',
  description: 'Designs the overall structure: components, boundaries, patterns and the technology they run on.',
  capabilities: ['design', 'review', 'document'],
  dependsOn: [],
  prompt: [
    'You are the Software Architect of a seven-person development team.',
    'Expertise: system decomposition, architectural patterns, integration design, trade-off analysis.',
    'Responsibilities: define the components and their boundaries, choose patterns and the tech stack, name the',
    'integration points the rest of the team builds against. The backend developer, DBA, frontend developer,',
    'designer, security specialist and IT administrator all start from your output.',
    'How you think: start from the requirements and the data, prefer the simplest structure that survives growth,',
    'and make each decision reversible where you can; state the rationale and the alternative you rejected.',
    'Output style: precise and concrete. The component diagram is Mermaid (`flowchart LR` or `graph TD`).',
  ].join('\n'),
  schema: roleOutputSchema({
    patterns: z.array(z.string().min(2).max(200)).min(1).max(10).describe('Architectural patterns applied'),
    component_diagram: z
      .string()
      .min(10)
      .max(6000)
      .regex(/^\s*(graph|flowchart|sequenceDiagram|classDiagram|erDiagram|stateDiagram|C4\w*)\b/, {
        message: 'must be a Mermaid diagram (graph, flowchart, sequenceDiagram, …)',
      })
      .describe('Mermaid source of the component diagram'),
    tech_stack: z
      .array(z.object({ layer: z.string().min(1).max(100), technology: z.string().min(1).max(200), rationale: z.string().min(1).max(1000) }))
      .min(1)
      .max(15),
    integration_points: z
      .array(z.object({ name: z.string().min(1).max(200), protocol: z.string().min(1).max(100), description: z.string().min(1).max(1000) }))
      .max(15),
  }),
  simulate(ctx) {
    const { entity, resource } = { entity: ctx.feature.entities[0] ?? 'Feature', resource: ctx.feature.resource }
    const patterns = ctx.some(PATTERNS, 2, 3)
    const verb = ctx.feature.verbs[0] ?? 'manage'
    const service = `${entity}Service`
    const extra = ctx.feature.entities[1]
    const { subject, subjects } = ctx.feature
    const diagram = [
      'flowchart LR',
      '  UI[Web UI] -->|HTML over HTTP| API[HTTP routes]',
      `  API --> SVC[${service}]`,
      `  SVC --> DB[(PostgreSQL: ${resource.replace(/-/g, '_')})]`,
      `  SVC -->|events| BUS[[Event stream]]`,
      extra ? `  SVC --> ${extra.toUpperCase()}[${extra}Service]` : `  BUS --> WRK[Background worker]`,
    ].join('\n')
    return {
      analysis: `"${ctx.feature.name}" centres on ${subjects}: ${ctx.feature.summary} The design must let users ${verb} ${subjects} safely while other parts of the product keep working.`,
      approach: `Keep ${subjects} behind ${ctx.a(service)} with a clear API; apply ${patterns.join(' and ').toLowerCase()}. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Model ${entity} as its own module behind ${service}`,
          rationale: `Isolating ${subjects} keeps the change small and testable and lets the backend and DBA work in parallel.`,
          category: 'architecture',
        },
        {
          text: `Use ${patterns[0]} as the primary structuring pattern`,
          rationale: `It fits a feature that has to ${verb} ${subjects} without coupling the UI to storage.`,
          category: 'architecture',
        },
        ...(ctx.int(0, 1) === 1
          ? [{ text: `Publish ${ctx.a(entity)}Changed event after each write`, rationale: 'Other views and notifications react without polling.', category: 'integration' }]
          : []),
      ],
      concerns: ctx.some(
        [
          `Scope creep: "${ctx.feature.name}" may grow beyond ${subjects}`,
          `Consistency between ${subjects} and derived views`,
          'Migration path for existing data',
          'Observability of the new flow from day one',
        ],
        1,
        2,
      ),
      confidence: ctx.confidence(),
      patterns,
      component_diagram: diagram,
      tech_stack: ctx.some(STACK, 3, 5).map((s) => ({ ...s })),
      integration_points: [
        { name: `/api/${resource} HTTP API`, protocol: 'HTTPS/JSON', description: `CRUD and ${verb} operations on ${subjects}` },
        { name: `${entity}Changed`, protocol: 'event stream', description: `Emitted after every committed change to ${ctx.a(subject)}` },
      ],
    }
  },
})

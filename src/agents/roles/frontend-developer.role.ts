import { z } from 'zod'
import { CodeSnippetSchema } from '../output-base.ts'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign } from './sim-design.ts'

/** Frontend Developer: components, state and accessible markup. */
export const frontendDeveloperRole = defineRole({
  id: 'frontend_developer',
  displayName: 'Frontend Developer',
  description: 'Builds the user interface: components, state management and accessible, responsive markup.',
  capabilities: ['design', 'implement', 'test', 'review'],
  dependsOn: ['software_architect', 'backend_developer'],
  prompt: [
    'You are the Frontend Developer of a seven-person development team.',
    'Expertise: component design, state management, forms, progressive enhancement, accessibility, web performance.',
    "Responsibilities: build the screens for the feature against the backend's endpoints, decide where state lives,",
    'and make every interaction work with keyboard and screen reader.',
    'How you think: from the user task to the component tree; server state stays on the server, local state stays',
    'local; loading, empty and error states are designed, not afterthoughts.',
    'Output style: named components with one responsibility each, short snippets, concrete accessibility notes.',
    "Consistency: list every backend call in `api_calls` with the method and path exactly as the backend's endpoints",
    "define them (path parameters such as :id), and name a component for every screen of the UI/UX designer's flows.",
  ].join('\n'),
  schema: roleOutputSchema({
    components: z
      .array(z.object({ name: z.string().min(1).max(100), responsibility: z.string().min(1).max(500), props: z.array(z.string().min(1).max(100)).max(20) }))
      .min(1)
      .max(25),
    state_management: z.object({
      approach: z.string().min(3).max(1000),
      shared_state: z.array(z.string().min(1).max(200)).max(15).describe('State shared across components, if any'),
    }),
    code_snippets: z.array(CodeSnippetSchema).max(8),
    accessibility_notes: z.array(z.string().min(3).max(1000)).min(1).max(15),
    api_calls: z
      .array(
        z.object({
          method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
          path: z.string().regex(/^\//, { message: 'must start with /' }).max(300),
          purpose: z.string().min(1).max(500).describe('Which component makes the call, and why'),
        }),
      )
      .max(40)
      .describe("Every backend endpoint the UI calls, method and path as the backend defines them"),
  }),
  simulate(ctx) {
    const entity = ctx.feature.entities[0] ?? 'Item'
    const resource = ctx.feature.resource
    const { subject, subjects } = ctx.feature
    const design = simDesign(ctx.feature)
    // A mismatched frontend calls a DELETE the backend never defined and builds no detail screen.
    const components = design.components.filter((c) => !(ctx.mismatch && c.name.endsWith('Detail')))
    const calls: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; purpose: string }[] = design.endpoints.map((e) => ({ method: e.method, path: e.path, purpose: e.purpose }))
    if (ctx.mismatch) calls.push({ method: 'DELETE', path: `/api/${resource}/:id`, purpose: `Delete ${ctx.a(subject)} from its detail view` })
    const approach = ctx.pick([
      'Server-rendered fragments swapped by htmx; no client store',
      'Server state via fragments, small local state in data attributes',
      'Forms post and re-render the region; live updates over SSE',
    ])
    return {
      analysis: `Users need to browse, create and act on ${subjects} with immediate feedback. ${ctx.feature.summary}`,
      approach: `${approach}. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Split the screen into ${entity}List, ${entity}Form and ${entity}Detail components`,
          rationale: 'Each maps to one endpoint and one swap target, so updates stay local.',
          category: 'ui',
        },
        {
          text: 'Render loading, empty and error states for every region',
          rationale: 'Slow networks and failures are normal; the user always knows what is happening.',
          category: 'ux',
        },
      ],
      concerns: ctx.some([`Long ${subject} lists on mobile`, 'Keeping list and detail in sync after edits', 'Form state lost on navigation'], 1, 2),
      confidence: ctx.confidence(),
      components: components.map((c) => ({ ...c, props: [...c.props] })),
      state_management: { approach, shared_state: ctx.some(['current team', 'filter query', 'selected item'], 1, 2) },
      code_snippets: [
        {
          title: `${entity}List view`,
          language: 'tsx',
          code: `export function ${entity}List({ items }: Props): JSX.Element {\n  return <ul id="${resource}">{items.map((i) => <li safe>{i.title}</li>)}</ul>\n}`,
        },
      ],
      accessibility_notes: ctx.some(
        ['Announce list updates through an aria-live region', 'Every form field has a visible label and error text tied by aria-describedby', 'Focus moves to the first error after a failed submit', 'All actions reachable by keyboard in a logical order'],
        2,
        3,
      ),
      api_calls: calls,
    }
  },
})

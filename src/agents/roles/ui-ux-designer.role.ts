import { z } from 'zod'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign } from './sim-design.ts'

const TOKENS = [
  { name: 'color.primary', value: 'oklch(0.62 0.19 250)', usage: 'Primary actions and links' },
  { name: 'color.danger', value: 'oklch(0.58 0.22 27)', usage: 'Destructive actions and errors' },
  { name: 'space.md', value: '1rem', usage: 'Default gap between form rows' },
  { name: 'radius.card', value: '0.5rem', usage: 'Cards and dialogs' },
  { name: 'font.body', value: '16px/1.5 system-ui', usage: 'Body text' },
  { name: 'shadow.raised', value: '0 1px 3px rgb(0 0 0 / 0.12)', usage: 'Cards above the page' },
] as const

/** UI/UX Designer: flows, layout and the design system. */
export const uiUxDesignerRole = defineRole({
  id: 'ui_ux_designer',
  displayName: 'UI/UX Designer',
  description: 'Designs how the feature feels: user flows, wireframes, design tokens and accessibility.',
  capabilities: ['design', 'review', 'document'],
  dependsOn: ['software_architect', 'backend_developer'],
  prompt: [
    'You are the UI/UX Designer of a seven-person development team.',
    'Expertise: interaction design, information architecture, visual systems, usability and WCAG 2.2.',
    'Responsibilities: define the user flows step by step, describe the wireframe, set the design tokens the',
    'frontend uses, and score the design for accessibility (0-100) with what keeps it from 100.',
    'How you think: from the user goal and its most common path; remove steps before adding UI; consistency with',
    'the existing product beats novelty.',
    'Output style: numbered steps, plain-language wireframe description, tokens as name/value/usage.',
    "Consistency: name the screens each flow passes through in `screens` (e.g. InvoiceList): the frontend builds one component per screen.",
  ].join('\n'),
  schema: roleOutputSchema({
    user_flows: z
      .array(
        z.object({
          name: z.string().min(1).max(200),
          steps: z.array(z.string().min(1).max(500)).min(1).max(20),
          screens: z.array(z.string().min(1).max(100)).max(10).describe('The screens the flow passes through, as component names'),
        }),
      )
      .min(1)
      .max(10),
    wireframe_description: z.string().min(10).max(6000),
    design_tokens: z
      .array(z.object({ name: z.string().min(1).max(100), value: z.string().min(1).max(200), usage: z.string().min(1).max(300) }))
      .max(30),
    accessibility_score: z.number().int().min(0).max(100),
  }),
  simulate(ctx) {
    const verb = ctx.feature.verbs[0] ?? 'create'
    const { subject, subjects } = ctx.feature
    const [list, form, detail] = simDesign(ctx.feature).components.map((c) => c.name) as [string, string, string]
    return {
      analysis: `The core user goal is to ${verb} ${subjects} quickly and confidently. ${ctx.feature.summary}`,
      approach: `Design the most common path first, keep it to three steps, reuse existing list/detail layouts. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Put the primary "${verb.charAt(0).toUpperCase() + verb.slice(1)} ${subject}" action top right of the ${subject} list`,
          rationale: 'Matches where users already look for the main action on other pages.',
          category: 'ux',
        },
        {
          text: 'Confirm destructive actions inline instead of with a modal',
          rationale: 'Fewer context switches; still prevents accidental loss.',
          category: 'ux',
        },
      ],
      concerns: ctx.some(['Discoverability of secondary actions', 'Empty state for first-time users', 'Colour contrast of status badges'], 1, 2),
      confidence: ctx.confidence(),
      user_flows: [
        {
          name: `${verb.charAt(0).toUpperCase() + verb.slice(1)} ${ctx.a(subject)}`,
          steps: [`Open the ${subject} list`, `Choose "${verb.charAt(0).toUpperCase() + verb.slice(1)} ${subject}"`, 'Fill the short form', 'See the new item highlighted in the list'],
          // A mismatched designer sends the user through a wizard the frontend never builds.
          screens: ctx.mismatch ? [list, `${form.replace(/Form$/, '')}Wizard`] : [list, form],
        },
        { name: `Find ${ctx.a(subject)}`, steps: ['Type in the filter box', 'Results update as you type', 'Open the detail view'], screens: [list, detail] },
      ],
      wireframe_description: `A two-column page: the ${subject} list on the left with a filter box and the primary action above it; the selected ${subject} in detail on the right with its actions in a toolbar. On narrow screens the detail replaces the list.`,
      design_tokens: ctx.some(TOKENS, 3, 5).map((t) => ({ ...t })),
      accessibility_score: ctx.int(78, 95),
    }
  },
})

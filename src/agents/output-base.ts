import { z } from 'zod'

/**
 * Field shapes shared by every role's output schema. Keys are snake_case because an
 * output is stored as `agent_tasks.output_data` and served as-is by the JSON API.
 * Every field is required (no optionals), so the same schema works as an
 * OpenAI/Anthropic structured-output schema and as the validator.
 */

/** One decision an agent made, with why; each becomes a `task_decisions` row. */
export const DecisionSchema = z.object({
  text: z.string().min(3).max(1000).describe('The decision, stated as an action'),
  rationale: z.string().min(3).max(2000).describe('Why this choice over the alternatives'),
  category: z
    .string()
    .min(2)
    .max(100)
    .describe('One word or two: architecture, api, data, ui, ux, security, infrastructure, performance, testing, process'),
})

/** A validated decision. */
export type Decision = z.output<typeof DecisionSchema>

/** The fields every role's output starts with. */
export const baseOutputShape = {
  analysis: z.string().min(10).max(6000).describe('What the feature needs from this role, in a few sentences'),
  approach: z.string().min(10).max(6000).describe('How this role will deliver it'),
  decisions: z.array(DecisionSchema).min(1).max(20),
  concerns: z.array(z.string().min(3).max(1000)).max(20).describe('Risks or open questions; may be empty'),
  confidence: z.number().min(0).max(1).describe('0 (guessing) to 1 (certain)'),
}

/** The shared base on its own: what any role's output can be read as. */
export const BaseOutputSchema = z.object(baseOutputShape)

/** The base fields of any role's validated output. */
export type BaseOutput = z.output<typeof BaseOutputSchema>

/** A short piece of code in an output (backend and frontend roles). */
export const CodeSnippetSchema = z.object({
  title: z.string().min(1).max(200),
  language: z.string().min(1).max(40).describe('e.g. typescript, sql, tsx, yaml'),
  code: z.string().min(1).max(8000),
})

/** A validated code snippet. */
export type CodeSnippet = z.output<typeof CodeSnippetSchema>

/** A vulnerability of the security specialist's that a role takes up (backend and IT administrator). */
export const MitigationSchema = z.object({
  vulnerability_id: z.string().regex(/^V\d+$/, { message: 'must be a vulnerability id such as V1' }).describe("The security specialist's vulnerability id, e.g. V1"),
  measure: z.string().min(3).max(1000).describe('What this role does about it'),
})

/** A validated mitigation. */
export type Mitigation = z.output<typeof MitigationSchema>

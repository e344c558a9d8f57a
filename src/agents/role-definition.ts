import { z } from 'zod'
import { baseOutputShape } from './output-base.ts'
import type { AgentRole } from './role-ids.ts'

/** The seed's capability vocabulary (its "Agent Capabilities by Role" table). */
export const CAPABILITIES = ['design', 'implement', 'test', 'review', 'deploy', 'document', 'audit', 'optimize'] as const

/** One capability of the seed's table. */
export type Capability = (typeof CAPABILITIES)[number]

/** Words pulled from the feature text that the simulated provider writes about. */
export interface FeatureTerms {
  /** Feature name with `[sim:…]` directives removed. */
  name: string
  /** First sentence of the description, or the name when there is none. */
  summary: string
  /** Content words by weight (name words first, then frequency). */
  keywords: string[]
  /** Keywords that read as things: `invoice`, `reminder`. */
  nouns: string[]
  /** Keywords that read as actions: `export`, `notify`. */
  verbs: string[]
  /** PascalCase entity names, primary first: `Invoice`, `PasswordReset`. */
  entities: string[]
  /** The primary entity as prose, singular: `invoice`, `password reset`. */
  subject: string
  /** The same, plural: `invoices`, `password resets`. */
  subjects: string
  /** Kebab-case plural of the primary entity, for URLs and tables: `invoices`, `password-resets`. */
  resource: string
}

/** What an upstream agent decided, condensed for the simulated provider. */
export interface UpstreamDigest {
  role: AgentRole
  displayName: string
  decisions: string[]
  concerns: string[]
}

/**
 * Everything a role's `simulate` may use. All randomness comes from here, seeded by a
 * hash of the prompt inputs, so the same input always yields the same output.
 */
export interface SimContext {
  feature: FeatureTerms
  upstream: UpstreamDigest[]
  /** Decision texts already in the session's journal. */
  journal: string[]
  pick<T>(items: readonly T[]): T
  /** Between `min` and `max` distinct items, in a seeded order. */
  some<T>(items: readonly T[], min: number, max: number): T[]
  int(min: number, max: number): number
  /** A plausible confidence in 0.55..0.95, two decimals. */
  confidence(): number
  /** A sentence tying this output to an upstream or journal decision; '' when there is none. */
  buildsOn(): string
  /** `word` with its indefinite article: `an invoice`, `a report`. */
  a(word: string): string
  /** `[sim:mismatch=ROLE]` targets this role: write output that breaks the consistency rules involving it. */
  mismatch: boolean
}

/** One role: who it is, what it depends on, how it is prompted and what it must return. */
export interface RoleDefinition<S extends z.ZodObject = z.ZodObject> {
  id: AgentRole
  displayName: string
  description: string
  capabilities: readonly Capability[]
  /** Roles whose outputs this one reads; in the `dag` plan it starts when they finish. */
  dependsOn: readonly AgentRole[]
  /** The role prompt: expertise, responsibilities, how it thinks, output style. */
  prompt: string
  /** Shared base fields plus the role's own; validates model output. */
  schema: S
  /** Offline content for the simulated provider; must satisfy `schema`. */
  simulate(ctx: SimContext): z.input<S>
}

/** The output schema of a role: the shared base fields followed by `fields`. */
export function roleOutputSchema<F extends z.ZodRawShape>(fields: F): z.ZodObject<typeof baseOutputShape & F> {
  return z.object({ ...baseOutputShape, ...fields })
}

/** Identity helper that keeps a role's schema type precise. */
export function defineRole<S extends z.ZodObject>(definition: RoleDefinition<S>): RoleDefinition<S> {
  return definition
}

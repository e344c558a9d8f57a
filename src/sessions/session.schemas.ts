import { z } from 'zod'
import { AGENT_ROLES } from '../agents/index.ts'
import { BudgetUsd, ReviewSettingSchema } from '../teams/index.ts'
import { IdNumber, IdString, limitQuery, multilineText, plainText } from '../validation/index.ts'

export const SESSION_PLANS = ['dag', 'parallel', 'sequential'] as const
export const SESSION_STATUSES = ['active', 'completed', 'failed', 'cancelled'] as const
export const CONFIDENCES = ['high', 'medium', 'low'] as const

/**
 * Body of `POST /api/sessions`. `agents` defaults to all seven roles; duplicates and unknown roles
 * are rejected. `review` and `budget_usd` default to the team's settings (`budget_usd: null`: none).
 */
export const CreateSessionBody = z.strictObject({
  team_id: IdNumber,
  feature_name: plainText({ min: 1, max: 255 }),
  description: multilineText({ max: 10_000 }).optional(),
  plan: z.enum(SESSION_PLANS).optional(),
  agents: z
    .array(z.enum(AGENT_ROLES))
    .min(1, 'are required: choose at least one')
    .max(AGENT_ROLES.length)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role')
    .optional(),
  review: ReviewSettingSchema.optional(),
  budget_usd: BudgetUsd.nullable().optional(),
})
export type CreateSessionInput = z.output<typeof CreateSessionBody>

/** Query of `GET /api/sessions`. */
export const ListSessionsQuery = z.strictObject({
  team_id: IdString.optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  limit: limitQuery(20),
  cursor: z.string().max(100).optional(),
})
export type ListSessionsInput = z.output<typeof ListSessionsQuery>

/** Body of `POST /api/sessions/:id/decisions`. */
export const AddDecisionBody = z.strictObject({
  decision_text: multilineText({ min: 1, max: 10_000 }),
  category: plainText({ min: 1, max: 100 }),
  confidence: z.enum(CONFIDENCES),
})
export type AddDecisionInput = z.output<typeof AddDecisionBody>

export const DECISION_SOURCES = ['user', 'agent', 'review'] as const

/** Query of `GET /api/sessions/:id/decisions`: `q` is a web-style full-text query. */
export const ListDecisionsQuery = z.strictObject({
  q: plainText({ max: 200 }).optional(),
  category: plainText({ min: 1, max: 100 }).optional(),
  source: z.enum(DECISION_SOURCES).optional(),
})
export type ListDecisionsInput = z.output<typeof ListDecisionsQuery>

/** Query of `GET /api/decisions`: the journal filters, a team, and a page. */
export const SearchDecisionsQuery = z.strictObject({
  q: plainText({ max: 200 }).optional(),
  category: plainText({ min: 1, max: 100 }).optional(),
  source: z.enum(DECISION_SOURCES).optional(),
  team_id: IdString.optional(),
  limit: limitQuery(50),
  cursor: z.string().max(100).optional(),
})
export type SearchDecisionsInput = z.output<typeof SearchDecisionsQuery>

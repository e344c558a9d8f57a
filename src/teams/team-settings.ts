import { z } from 'zod'
import { AGENT_ROLES } from '../agents/index.ts'
import type { ReviewSetting, Team } from '../db/index.ts'

/**
 * Which finished tasks wait for a human's review: `"none"`, `"all"`, or a list of roles (each at
 * most once). API.md `review`, on a team's settings and on a session.
 */
export const ReviewSettingSchema = z.union([
  z.enum(['none', 'all']),
  z
    .array(z.enum(AGENT_ROLES))
    .min(1, 'must name at least one role (or be "none")')
    .max(AGENT_ROLES.length)
    .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
])

/** A budget in USD: a finite number from 0 to 1,000,000 (API.md). */
export const BudgetUsd = z
  .number({ error: 'must be a number of US dollars' })
  .finite()
  .min(0, 'must not be negative')
  .max(1_000_000, 'must be at most 1,000,000')

/** A confidence threshold: outputs below it wait for review. */
export const ConfidenceThreshold = z.number({ error: 'must be a number from 0 to 1' }).finite().min(0).max(1)

/** API.md `team.settings` as `PUT /api/teams/:id` takes it: the keys given replace, the others stay. */
export const TeamSettingsPatch = z.strictObject({
  review: ReviewSettingSchema.optional(),
  review_below_confidence: ConfidenceThreshold.nullable().optional(),
  session_budget_usd: BudgetUsd.nullable().optional(),
  monthly_budget_usd: BudgetUsd.nullable().optional(),
})
export type TeamSettingsPatchInput = z.output<typeof TeamSettingsPatch>

/** API.md `team.settings`: the defaults of the team's new sessions. */
export interface TeamSettings {
  review: ReviewSetting
  review_below_confidence: number | null
  session_budget_usd: number | null
  monthly_budget_usd: number | null
}

/** A new team's settings (API.md). */
export const DEFAULT_TEAM_SETTINGS: TeamSettings = {
  review: 'none',
  review_below_confidence: null,
  session_budget_usd: null,
  monthly_budget_usd: null,
}

/** The settings held in a team's row. */
export function teamSettingsOf(team: Pick<Team, 'review' | 'review_below_confidence' | 'session_budget_usd' | 'monthly_budget_usd'>): TeamSettings {
  return {
    review: team.review ?? 'none',
    review_below_confidence: team.review_below_confidence ?? null,
    session_budget_usd: team.session_budget_usd ?? null,
    monthly_budget_usd: team.monthly_budget_usd ?? null,
  }
}

/** The column values that apply a settings patch (only the keys it gives). */
export function teamSettingsColumns(patch: TeamSettingsPatchInput): Partial<{
  review: string
  review_below_confidence: number | null
  session_budget_usd: number | null
  monthly_budget_usd: number | null
}> {
  return {
    ...(patch.review !== undefined ? { review: JSON.stringify(patch.review) } : {}),
    ...(patch.review_below_confidence !== undefined ? { review_below_confidence: patch.review_below_confidence } : {}),
    ...(patch.session_budget_usd !== undefined ? { session_budget_usd: patch.session_budget_usd } : {}),
    ...(patch.monthly_budget_usd !== undefined ? { monthly_budget_usd: patch.monthly_budget_usd } : {}),
  }
}

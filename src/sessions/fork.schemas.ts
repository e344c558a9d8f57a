import { z } from 'zod'
import { AGENT_ROLES } from '../agents/index.ts'
import { IdString, multilineText, plainText } from '../validation/index.ts'

/** Body of `POST /api/sessions/:id/fork`: the role to re-run from, what it must change, optionally a new name. */
export const ForkSessionBody = z.strictObject({
  from_role: z.enum(AGENT_ROLES),
  feedback: multilineText({ max: 4000 }).optional(),
  feature_name: plainText({ min: 1, max: 255 }).optional(),
  description: multilineText({ max: 10_000 }).optional(),
})
export type ForkSessionInput = z.output<typeof ForkSessionBody>

/** Query of `GET /api/sessions/:id/diff`: the session to compare against. */
export const DiffQuery = z.strictObject({ against: IdString })

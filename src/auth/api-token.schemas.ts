import { z } from 'zod'
import { plainText } from '../validation/index.ts'

/** Body of `POST /api/auth/tokens`: a name, and a lifetime in days (none = until revoked). */
export const CreateApiTokenBody = z.strictObject({
  name: plainText({ min: 1, max: 100 }),
  expires_in_days: z.number().int('must be a whole number of days').min(1, 'must be at least 1').max(3650, 'must be at most 3650').optional(),
})
export type CreateApiTokenInput = z.output<typeof CreateApiTokenBody>

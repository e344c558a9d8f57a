import { z } from 'zod'
import { Email, Username } from '../auth/index.ts'
import { multilineText, nameText } from '../validation/index.ts'
import { TeamSettingsPatch } from './team-settings.ts'

const TeamName = nameText({ min: 1, max: 100 })
const TeamDescription = multilineText({ max: 2000 })

/** Body of `POST /api/teams`. Unknown fields are rejected. */
export const CreateTeamBody = z.strictObject({
  name: TeamName,
  description: TeamDescription.optional(),
  is_shared: z.boolean().optional(),
})
export type CreateTeamInput = z.output<typeof CreateTeamBody>

/** Body of `PUT /api/teams/:id`: any subset of the fields, at least one; `settings` keys given replace, the others stay. */
export const UpdateTeamBody = z
  .strictObject({
    name: TeamName.optional(),
    description: TeamDescription.nullable().optional(),
    is_shared: z.boolean().optional(),
    settings: TeamSettingsPatch.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'give at least one of name, description, is_shared, settings')
export type UpdateTeamInput = z.output<typeof UpdateTeamBody>

/** Roles an invitation can give; `owner` is the creator's alone. */
export const InviteRole = z.enum(['member', 'viewer'])

/** Body of `POST /api/teams/:id/invite`: exactly one of `username` and `email`, and a role. */
export const InviteBody = z
  .strictObject({ username: Username.optional(), email: Email.optional(), role: InviteRole })
  .refine((v) => (v.username === undefined) !== (v.email === undefined), 'give exactly one of username and email')
export type InviteInput = z.output<typeof InviteBody>

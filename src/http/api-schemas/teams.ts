import { z } from 'zod'
import { Id, Timestamp } from './common.ts'

export const TeamRole = z.enum(['owner', 'member', 'viewer'])

/** When a session's tasks wait for a human: no task, every task, or the tasks of the listed roles. */
export const ReviewPolicy = z.union([z.enum(['none', 'all']), z.array(z.string())]).describe('`none`, `all`, or the roles whose tasks wait for a review.')

/** API.md team `settings`: the defaults of the team's new sessions. */
export const TeamSettings = z
  .object({
    review: ReviewPolicy,
    review_below_confidence: z.number().min(0).max(1).nullable(),
    session_budget_usd: z.number().nullable(),
    monthly_budget_usd: z.number().nullable(),
  })
  .describe('The defaults of the team’s new sessions.')

/** API.md `team`; `role` is the caller's. */
export const Team = z
  .object({
    id: Id,
    name: z.string(),
    description: z.string().nullable(),
    owner_id: Id,
    is_shared: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
    role: TeamRole.describe('The caller’s role in the team.'),
    settings: TeamSettings,
  })
  .describe('A team, with the caller’s role in it.')

export const TeamList = z.array(Team).describe('Teams the caller owns or belongs to.')

export const TeamEnvelope = z.object({ team: Team }).describe('The team.')

/** A member row of API.md. */
export const Member = z.object({ user_id: Id, username: z.string(), role: TeamRole, joined_at: Timestamp }).describe('A member of a team.')

export const MemberEnvelope = z.object({ member: Member }).describe('The new member.')

/** `GET /api/teams/:id`. */
export const TeamDetail = z.object({ team: Team, members: z.array(Member) }).describe('The team and its members.')

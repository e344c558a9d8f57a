export { roleAllows, sessionAccessOf, taskAccessOf, teamRoleOf } from './team-access.ts'
export type { TeamAction } from './team-access.ts'
export {
  activeSessionIds,
  addMember,
  createTeam,
  deleteTeam,
  getTeam,
  listMembers,
  listTeamsOf,
  removeMember,
  setMemberRole,
  unshareTeam,
  updateTeam,
} from './team.repo.ts'
export type { TeamMember, TeamView } from './team.repo.ts'
export { CreateTeamBody, InviteBody, InviteRole, UpdateTeamBody } from './team.schemas.ts'
export type { CreateTeamInput, InviteInput, UpdateTeamInput } from './team.schemas.ts'
export {
  BudgetUsd,
  ConfidenceThreshold,
  DEFAULT_TEAM_SETTINGS,
  ReviewSettingSchema,
  TeamSettingsPatch,
  teamSettingsColumns,
  teamSettingsOf,
} from './team-settings.ts'
export type { TeamSettings, TeamSettingsPatchInput } from './team-settings.ts'

import type { z } from 'zod'
import { AGENT_ROLES, type AgentRole } from '../role-ids.ts'
import type { RoleDefinition } from '../role-definition.ts'
import { backendDeveloperRole } from './backend-developer.role.ts'
import { databaseAdministratorRole } from './database-administrator.role.ts'
import { frontendDeveloperRole } from './frontend-developer.role.ts'
import { itAdministratorRole } from './it-administrator.role.ts'
import { securitySpecialistRole } from './security-specialist.role.ts'
import { softwareArchitectRole } from './software-architect.role.ts'
import { uiUxDesignerRole } from './ui-ux-designer.role.ts'

/** Every role by id. Adding a role: its id in role-ids.ts, its file here, and one line below. */
export const ROLE_DEFINITIONS = {
  software_architect: softwareArchitectRole,
  backend_developer: backendDeveloperRole,
  database_administrator: databaseAdministratorRole,
  frontend_developer: frontendDeveloperRole,
  ui_ux_designer: uiUxDesignerRole,
  security_specialist: securitySpecialistRole,
  it_administrator: itAdministratorRole,
} satisfies Record<AgentRole, RoleDefinition>

/** The registry's type: each role id mapped to its precisely typed definition. */
export type RoleDefinitions = typeof ROLE_DEFINITIONS

/** The validated output type of one role. */
export type RoleOutput<R extends AgentRole> = z.output<RoleDefinitions[R]['schema']>

/** The definition of `role`. */
export function getRole<R extends AgentRole>(role: R): RoleDefinitions[R] {
  return ROLE_DEFINITIONS[role]
}

/** All role definitions, in dag order. */
export function listRoles(): RoleDefinition[] {
  return AGENT_ROLES.map((role) => ROLE_DEFINITIONS[role] as RoleDefinition)
}

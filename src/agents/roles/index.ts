export { ROLE_DEFINITIONS, getRole, listRoles } from './registry.ts'
export type { RoleOutput, RoleDefinitions } from './registry.ts'

export { AGENT_ROLES, isAgentRole } from './role-ids.ts'
export type { AgentRole } from './role-ids.ts'

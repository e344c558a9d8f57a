/** The seven agent roles, in the order the `dag` plan runs them. */
export const AGENT_ROLES = [
  'software_architect',
  'backend_developer',
  'database_administrator',
  'frontend_developer',
  'ui_ux_designer',
  'security_specialist',
  'it_administrator',
] as const

export type AgentRole = (typeof AGENT_ROLES)[number]

/** True when `value` names one of the seven roles. */
export function isAgentRole(value: string): value is AgentRole {
  return (AGENT_ROLES as readonly string[]).includes(value)
}

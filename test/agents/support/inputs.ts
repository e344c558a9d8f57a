import { AGENT_ROLES, type AgentInput, type AgentRole, type ModelProvider, runAgent, type UpstreamOutput } from '../../../src/agents/index.ts'

/** Features with different vocabulary, for content and schema tests. */
export const FEATURES = [
  { name: 'Invoice export', description: 'Let accountants export invoices as CSV and schedule monthly reminders to customers.' },
  { name: 'Team chat', description: 'Members send messages in channels, mention each other and search the history.' },
  { name: 'Photo upload', description: 'Users upload photos, crop them and share albums with friends.' },
  { name: 'x', description: '' },
] as const

/** An input for `role` with no journal and no upstream outputs. */
export function inputFor<R extends AgentRole>(role: R, feature: { name: string; description: string } = FEATURES[0], attempt = 1): AgentInput<R> {
  return { role, featureName: feature.name, description: feature.description, decisions: [], upstream: [], attempt }
}

/** Runs every role in dag order, each seeing the outputs before it, as a session would. */
export async function runAllRoles(provider: ModelProvider, feature: { name: string; description: string }): Promise<UpstreamOutput[]> {
  const outputs: UpstreamOutput[] = []
  for (const role of AGENT_ROLES) {
    const result = await runAgent({ ...inputFor(role, feature), upstream: [...outputs] }, { provider, signal: new AbortController().signal })
    outputs.push({ role, output: result.output })
  }
  return outputs
}

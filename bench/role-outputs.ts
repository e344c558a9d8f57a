import { AGENT_ROLES, type AgentRole, ROLE_DEFINITIONS, createSimulatedProvider, runAgent, type UpstreamOutput } from '../src/agents/index.ts'

/** The seven-role dag the session benchmarks run, stage by stage: each stage waits for the whole stage before it. */
export const DAG_STAGES: readonly (readonly AgentRole[])[] = [
  ['software_architect'],
  ['backend_developer', 'database_administrator'],
  ['frontend_developer', 'ui_ux_designer'],
  ['security_specialist', 'it_administrator'],
]

/** What the seven agents of one simulated session answer, and what making those answers costs. */
export interface RoleOutputs {
  /** Each role's output as the JSON text a model returns (validated against the role's schema). */
  texts: Record<AgentRole, string>
  /** CPU (ms) this process spends making the seven answers once: prompts, simulated generation, validation. */
  modelCpuMs: number
}

/**
 * The real outputs of one session: the simulated provider (latency 0) answers the seven
 * roles on the feature the session benchmark uses, each role seeing its upstream outputs,
 * through the same `runAgent` a Worker runs (prompt, generation, schema validation). Made
 * `repeat` times to time it; the outputs are deterministic, so every repetition is the same.
 */
export async function simulatedRoleOutputs(featureName: string, description: string, repeat = 20): Promise<RoleOutputs> {
  const provider = createSimulatedProvider({ latencyMs: { min: 0, max: 0 } })
  const signal = new AbortController().signal
  const once = async (): Promise<Record<AgentRole, string>> => {
    const outputs = new Map<AgentRole, UpstreamOutput['output']>()
    for (const role of AGENT_ROLES) {
      const upstream = ROLE_DEFINITIONS[role].dependsOn.map((dep) => ({ role: dep, output: outputs.get(dep) as UpstreamOutput['output'] }))
      const result = await runAgent({ role, featureName, description, decisions: [], upstream, attempt: 1 }, { provider, signal })
      outputs.set(role, result.output as UpstreamOutput['output'])
    }
    return Object.fromEntries([...outputs].map(([role, output]) => [role, JSON.stringify(output)])) as Record<AgentRole, string>
  }
  const texts = await once()
  const before = process.cpuUsage()
  for (let i = 0; i < repeat; i++) await once()
  const used = process.cpuUsage(before)
  return { texts, modelCpuMs: (used.user + used.system) / 1000 / repeat }
}

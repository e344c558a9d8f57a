/**
 * The cross-role consistency rules' cost per session: every rule over the seven simulated
 * outputs of each eval brief (as agreeing outputs and with each role mismatched, so findings are
 * built too), p50 and p99 per session. Pure CPU: the supervisor runs it inside the commit that
 * ends a session, so it must stay far below a commit's cost (target: p99 ≤ 2 ms).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { AGENT_ROLES, type AgentRole, getRole } from '../src/agents/index.ts'
import { createSimContext } from '../src/agents/providers/sim-context.ts'
import { createRandom, hashText } from '../src/agents/providers/sim-random.ts'
import { checkConsistency, type SessionOutputs } from '../src/consistency/index.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

function sessionOutputs(featureName: string, description: string, mismatch: AgentRole | null): SessionOutputs {
  const outputs: SessionOutputs = {}
  for (const role of AGENT_ROLES) {
    const input = { role, featureName, description, decisions: [], upstream: [], attempt: 1 }
    // Stored outputs are JSON: check what a JSON round trip gives, as the supervisor reads it.
    const output = getRole(role).simulate(createSimContext(input, createRandom(hashText(`${role}:${featureName}`)), { mismatch: role === mismatch }))
    outputs[role] = JSON.parse(JSON.stringify(output))
  }
  return outputs
}

/** p50/p99 (ms) of checking one session's outputs. */
export async function benchConsistency(sizes: BenchSizes): Promise<BenchResult[]> {
  const dir = new URL('../eval/briefs/', import.meta.url).pathname
  const briefs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as { feature_name: string; description: string })
  const sessions = briefs.flatMap((b) => [null, ...AGENT_ROLES].map((m) => sessionOutputs(b.feature_name, b.description, m)))
  const rounds = sizes.smoke ? 5 : 50
  const samples: number[] = []
  const cpu: number[] = []
  let findings = 0
  for (let round = 0; round < rounds + 1; round++) {
    for (const outputs of sessions) {
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      const result = checkConsistency(outputs)
      const ms = performance.now() - t0
      const c1 = process.cpuUsage(c0)
      if (round > 0) {
        // round 0 warms up
        samples.push(ms)
        cpu.push((c1.user + c1.system) / 1000)
      }
      findings += result.findings.length
    }
    // A full collection between rounds, not inside one: the figure is the rules' cost, not the collector's.
    Bun.gc(true)
  }
  if (findings === 0) throw new Error('bench: the mismatched sessions found nothing')
  return [
    { benchmark: 'consistency rules', metric: 'per session p50', subject: 'sage', value: quantile(samples, 0.5), unit: 'ms' },
    { benchmark: 'consistency rules', metric: 'per session p99', subject: 'sage', value: quantile(samples, 0.99), unit: 'ms' },
    // CPU time of the process over the call: what the rules cost without the time the scheduler took the core away (a loaded machine).
    { benchmark: 'consistency rules', metric: 'per session p99 (CPU time)', subject: 'sage', value: quantile(cpu, 0.99), unit: 'ms' },
  ]
}

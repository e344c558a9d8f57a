/**
 * `bun run bench --only=models`: the orchestration overhead of whole sessions when the model
 * is a real HTTP server, beside the simulated provider's in the same run. A stand-in OpenAI
 * chat-completions server in this process answers every call after a fixed 1 s, streamed
 * (the role's valid output, in chunks spread over the second); a `SAGE_ROLE=node` child
 * process runs the sessions against it (MODEL_PROVIDER=openai), then against the simulated
 * provider at SIM_LATENCY_MS=1000. Overhead = session wall time − 4 model stages × 1 s.
 */
import { AGENT_ROLES, createSimulatedProvider } from '../src/agents/index.ts'
import { openaiStream, startFakeModelServer } from '../test/agents/support/fake-model-server.ts'
import { runAllRoles } from '../test/agents/support/inputs.ts'
import { startServiceProcess } from '../test/support/service-process.ts'
import { drive } from './closed-loop.ts'
import { type SessionBenchEnv, startDriver } from './sessions.bench.ts'
import { type BenchResult, type BenchSizes, quantile } from './stats.ts'

const LATENCY_MS = 1000
const STAGES = 4
const IN_FLIGHT = 50

/** A node process with `env` on top of the bench's; resolves once it serves. */
async function startNode(env: SessionBenchEnv, prefix: string, extra: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const { child } = await startServiceProcess(
    {
      SAGE_ROLE: 'node',
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: prefix,
      SAGE_PARTITIONS: process.env.BENCH_PARTITIONS ?? '64',
      NODE_ID: `bench-models-${Math.random().toString(36).slice(2, 8)}`,
      ...extra,
    },
    { stderr: 'inherit' },
  )
  return {
    async stop() {
      child.kill('SIGTERM')
      await child.exited
    },
  }
}

/** Overhead p50/p99 of `measured` sessions run 50 in flight (after 50 that start over one model stage and are not counted). */
async function overhead(env: SessionBenchEnv, label: string, prefix: string, nodeEnv: Record<string, string>, measured: number): Promise<number[]> {
  const node = await startNode(env, prefix, nodeEnv)
  const driver = await startDriver(env, prefix, env.database.db, label)
  try {
    await drive(driver, 10, 10) // warm-up
    const { times } = await drive(driver, measured + IN_FLIGHT, IN_FLIGHT, LATENCY_MS)
    return times.slice(IN_FLIGHT).map((t) => t - STAGES * LATENCY_MS)
  } finally {
    await driver.close()
    await node.stop()
  }
}

/** The models figures: overhead with the stand-in OpenAI server and with the simulated provider, in one run. */
export async function benchModels(env: SessionBenchEnv, sizes: BenchSizes): Promise<BenchResult[]> {
  const measured = Number(process.env.BENCH_MODELS_SESSIONS ?? (sizes.smoke ? 20 : 200))
  const outputs = await runAllRoles(createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }), {
    name: 'Invoice export',
    description: 'Finance users export filtered invoices as CSV files.',
  })
  const replies = new Map(outputs.map(({ role, output }) => [`${role}_output`, JSON.stringify(output)]))
  if (replies.size !== AGENT_ROLES.length) throw new Error('bench: a role has no stand-in reply')
  const server = startFakeModelServer()
  server.reply((recorded, request) => {
    const name = (recorded.body.response_format as { json_schema?: { name: string } } | undefined)?.json_schema?.name ?? ''
    return openaiStream(replies.get(name) ?? '{}', { model: 'stand-in-model', chunks: 20, latencyMs: LATENCY_MS, usage: [2000, 900] })(recorded, request)
  })
  const results: BenchResult[] = []
  const figure = (metric: string, value: number, unit = 'ms'): void => {
    results.push({ benchmark: `dag at model latency ${LATENCY_MS} ms, ${IN_FLIGHT} in flight`, metric, subject: 'sage', value, unit })
  }
  try {
    const http = await overhead(env, 'models-http', `${env.prefix}models-http:`, {
      MODEL_PROVIDER: 'openai',
      OPENAI_BASE_URL: `${server.url}/v1`,
      MODEL_NAME: 'stand-in-model',
      // The limit is not what this measures: room for every call of 50 sessions' widest stage.
      MODEL_CONCURRENCY: '1000',
    }, measured)
    const simulated = await overhead(env, 'models-sim', `${env.prefix}models-sim:`, { SIM_LATENCY_MS: String(LATENCY_MS) }, measured)
    figure('orchestration overhead p50, stand-in OpenAI server (HTTP, streamed)', quantile(http, 0.5))
    figure('orchestration overhead p99, stand-in OpenAI server (HTTP, streamed)', quantile(http, 0.99))
    figure('orchestration overhead p50, simulated provider', quantile(simulated, 0.5))
    figure('orchestration overhead p99, simulated provider', quantile(simulated, 0.99))
    figure('stand-in requests served', server.requests.length, 'requests')
  } finally {
    await server.stop()
  }
  return results
}

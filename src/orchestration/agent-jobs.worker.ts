// The Worker entry of an actor node's pool: runs `run-agent` jobs. Its settings come
// from the node through the Worker's environment (agentWorkerEnv), not the process's.
// Every module imported here is loaded again in each Worker: the actor runtime's
// Worker-side entry keeps the node's modules out (about 5 MB per Worker).
import { handleJob, serveJobs } from '../actors/worker-side.ts'
import { createPriceTable, createProvider, joinModelLimits } from '../agents/index.ts'
import { runAgentAttempt } from './agent-job.ts'
import { AGENT_SETTINGS_ENV, AgentSettingsSchema } from './agent-settings.ts'
import { RunAgentJob } from './run-agent.job.ts'

const settings = AgentSettingsSchema.parse(JSON.parse(process.env[AGENT_SETTINGS_ENV] ?? 'null'))
// MODEL_CONCURRENCY and back-offs hold for the node: its Workers share one limits memory.
const limits = settings.MODEL_LIMITS_CHANNEL ? joinModelLimits(settings.MODEL_LIMITS_CHANNEL) : undefined
// A `[sim:crash=…]` directive kills this Worker, as a real crash would.
const provider = createProvider(settings, { onCrash: () => process.exit(1), ...(limits ? { limits } : {}) })
const prices = createPriceTable(settings.MODEL_PRICES)

serveJobs([handleJob(RunAgentJob, (input, ctx) => runAgentAttempt(input, ctx, { provider, prices }))])

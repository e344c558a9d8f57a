import { Annotation, END, START, StateGraph } from '@langchain/langgraph'
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres'
import pg from 'pg'
import { AGENT_ROLES, type AgentRole } from '../src/agents/index.ts'
import type { PeerRunner } from './peer-runner.ts'
import { DAG_STAGES } from './role-outputs.ts'

/** How LangGraph saves a checkpoint: before the next step starts (`sync`), or while it runs (`async`). */
export type LangGraphDurability = 'sync' | 'async'

type Output = Record<string, unknown>

// One channel per role (a node's name cannot also be a channel's), plus the feature the run is about.
const State = Annotation.Root({
  feature: Annotation<string>,
  software_architect_output: Annotation<Output>,
  backend_developer_output: Annotation<Output>,
  database_administrator_output: Annotation<Output>,
  frontend_developer_output: Annotation<Output>,
  ui_ux_designer_output: Annotation<Output>,
  security_specialist_output: Annotation<Output>,
  it_administrator_output: Annotation<Output>,
})

/**
 * LangGraph JS with a PostgresSaver in `databaseUrl`'s database (its tables in `public`), on
 * a pool of `poolSize` connections: each run is one thread of a graph with a node per role and
 * an edge from the whole of each stage to each node of the next (a join: the node waits for
 * all of them), so the stages are LangGraph's steps; after each step the checkpoint (the
 * channels that changed, as blobs) and the step's writes are saved, as `durability` says.
 */
export async function startLangGraphPeer(
  databaseUrl: string,
  texts: Record<AgentRole, string>,
  poolSize: number,
  durability: LangGraphDurability,
): Promise<PeerRunner> {
  const applicationName = `sage-bench-langgraph-${durability}`
  const url = new URL(databaseUrl)
  url.searchParams.set('application_name', applicationName)
  const pool = new pg.Pool({ connectionString: url.toString(), max: poolSize, idleTimeoutMillis: 0 })
  pool.on('error', () => {})
  const saver = new PostgresSaver(pool)
  await saver.setup()
  // The builder's node names are typed one addNode at a time; the roles come from a list, so it is built untyped.
  const builder = new StateGraph(State) as unknown as {
    addNode(name: string, fn: (state: typeof State.State) => Partial<typeof State.State>): void
    addEdge(from: string | string[], to: string): void
    compile(options: { checkpointer: PostgresSaver }): { invoke(input: Partial<typeof State.State>, config: object): Promise<typeof State.State> }
  }
  for (const role of AGENT_ROLES) {
    builder.addNode(role, () => ({ [`${role}_output`]: JSON.parse(texts[role]) as Output }))
  }
  let previous: readonly string[] = [START]
  for (const stage of DAG_STAGES) {
    for (const role of stage) builder.addEdge(previous.length === 1 ? (previous[0] as string) : [...previous], role)
    previous = stage
  }
  for (const role of previous) builder.addEdge(role, END)
  const graph = builder.compile({ checkpointer: saver })
  const tag = Date.now().toString(36)
  return {
    applicationName,
    async run(i) {
      const started = performance.now()
      const state = await graph.invoke({ feature: `Bench ${i}: invoice export` }, { configurable: { thread_id: `${tag}-${i}` }, durability })
      if (AGENT_ROLES.some((role) => state[`${role}_output`] === undefined)) throw new Error('LangGraph ended without every role output')
      return performance.now() - started
    },
    async stop() {
      await pool.end()
    },
  }
}

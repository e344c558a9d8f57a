import { DBOS } from '@dbos-inc/dbos-sdk'
import pg from 'pg'
import type { AgentRole } from '../src/agents/index.ts'
import type { PeerRunner } from './peer-runner.ts'
import { DAG_STAGES } from './role-outputs.ts'

// DBOS keeps one runtime per process and its workflows in a process-wide registry, so the
// workflow is registered once and reads the outputs of the runner started last.
let answers: Record<AgentRole, string> | null = null
let dagWorkflow: ((run: string) => Promise<number>) | null = null

function registerDag(): (run: string) => Promise<number> {
  dagWorkflow ??= DBOS.registerWorkflow(
    async (_run: string): Promise<number> => {
      let steps = 0
      for (const stage of DAG_STAGES) {
        // Steps of a stage start in a fixed order (DBOS numbers a step when it starts), so they may run together.
        await Promise.all(
          stage.map((role) =>
            DBOS.runStep(async () => JSON.parse((answers as Record<AgentRole, string>)[role]) as Record<string, unknown>, { name: role }).then(() => steps++),
          ),
        )
      }
      return steps
    },
    { name: 'seven-role-dag' },
  )
  return dagWorkflow
}

/**
 * DBOS Transact with its system database (schema `dbos`) in `databaseUrl`'s database, on a
 * pool of `poolSize` connections: each run is one workflow whose seven steps return a role's
 * output, each step's output recorded in `dbos.operation_outputs` before the next stage starts.
 */
export async function startDbosPeer(databaseUrl: string, texts: Record<AgentRole, string>, poolSize: number): Promise<PeerRunner> {
  const applicationName = 'sage-bench-dbos'
  const url = new URL(databaseUrl)
  url.searchParams.set('application_name', applicationName)
  const pool = new pg.Pool({ connectionString: url.toString(), max: poolSize, idleTimeoutMillis: 0 })
  pool.on('error', () => {})
  answers = texts
  const workflow = registerDag()
  DBOS.setConfig({
    name: 'sage-bench',
    applicationVersion: 'bench',
    systemDatabaseUrl: url.toString(),
    systemDatabasePool: pool,
    logLevel: 'error',
  })
  await DBOS.launch()
  return {
    applicationName,
    async run(i) {
      const started = performance.now()
      const steps = await workflow(`run-${i}`)
      if (steps !== 7) throw new Error(`DBOS ran ${steps} steps, not 7`)
      return performance.now() - started
    },
    async stop() {
      await DBOS.shutdown()
      await pool.end()
    },
  }
}

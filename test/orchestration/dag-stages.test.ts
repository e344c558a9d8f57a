import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { AGENT_ROLES, type AgentRole } from '../../src/agents/index.ts'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'
import { testServices } from '../support/services.ts'
import { newTeam, type OrchestrationNode, startOrchestrationNode, startSession, waitForEnd } from './support.ts'

// 127 sessions per engine through the real actor path: well past bun's 5 s default.
setDefaultTimeout(240_000)

/** DESIGN.md's stages, written out: the oracle the recorded runs are checked against. */
const DESIGN_STAGES: AgentRole[][] = [
  ['software_architect'],
  ['backend_developer', 'database_administrator'],
  ['frontend_developer', 'ui_ux_designer'],
  ['security_specialist', 'it_administrator'],
]
const stageOf = (role: AgentRole): number => DESIGN_STAGES.findIndex((s) => s.includes(role))

/** Every non-empty subset of the seven roles (127), in registry order. */
const SUBSETS: AgentRole[][] = Array.from({ length: 2 ** AGENT_ROLES.length - 1 }, (_, i) => AGENT_ROLES.filter((_, bit) => (i + 1) & (1 << bit)))

const { redisUrl, redisPrefix } = testServices()

for (const engine of testEngines()) {
  describe(`the dag plan runs DESIGN's stages for every subset of roles (${engine.name})`, () => {
    let db: DatabaseHandle
    let orch: OrchestrationNode
    /** Each subset's session id, started all at once. */
    let sessions: Array<{ roles: AgentRole[]; id: number }>

    beforeAll(async () => {
      db = await engine.open()
      orch = await startOrchestrationNode({
        db,
        redisPrefix: engine.name === 'postgres' && redisUrl ? `${redisPrefix}dag${Math.random().toString(36).slice(2, 6)}:` : null,
        // A latency spread across roles, so roles of one stage finish at different times and a role
        // started too early would show in the recorded times.
        env: { SIM_LATENCY_MS: '1-60' },
      })
      const owner = await newTeam(db.db)
      sessions = await Promise.all(
        SUBSETS.map(async (roles) => ({
          roles,
          id: await startSession(db.db, orch.control, owner, {
            feature_name: `Invoice export ${roles.length}`,
            description: 'Finance users export filtered invoices as CSV files.',
            plan: 'dag',
            // Given in reverse: the plan's order must come from the stages, not from the request.
            agents: [...roles].reverse(),
          }),
        })),
      )
      for (const s of sessions) expect(await waitForEnd(db.db, s.id, 200_000)).toBe('completed')
    })
    afterAll(async () => {
      await orch?.stop()
      await db?.close()
    })

    it('starts no role before every chosen role of the earlier stages has finished', async () => {
      let checked = 0
      for (const { roles, id } of sessions) {
        const tasks = await db.db.selectFrom('agent_tasks').selectAll().where('session_id', '=', id).execute()
        expect(tasks.map((t) => t.agent_role).sort()).toEqual([...roles].sort())
        const byRole = new Map(tasks.map((t) => [t.agent_role as AgentRole, t]))
        for (const task of tasks) {
          expect(task.status).toBe('completed')
          const started = (task.started_at as Date).getTime()
          for (const earlier of roles.filter((r) => stageOf(r) < stageOf(task.agent_role as AgentRole))) {
            expect(started).toBeGreaterThanOrEqual((byRole.get(earlier)?.completed_at as Date).getTime())
            checked++
          }
        }
      }
      // Every (role, earlier-stage role) pair over the 127 subsets.
      expect(checked).toBe(576)
    })

    it("gives each role's prompt the outputs of every chosen role of the earlier stages, and no other", async () => {
      for (const { roles, id } of sessions) {
        const snapshots = await db.db
          .selectFrom('agent_snapshots')
          .innerJoin('agent_tasks', 'agent_tasks.id', 'agent_snapshots.agent_task_id')
          .select(['agent_snapshots.agent_role', 'agent_snapshots.context_state'])
          .where('agent_tasks.session_id', '=', id)
          .execute()
        expect(snapshots).toHaveLength(roles.length)
        for (const snapshot of snapshots) {
          const role = snapshot.agent_role as AgentRole
          const upstream = (snapshot.context_state as { upstreamRoles: AgentRole[] }).upstreamRoles
          expect({ role, upstream }).toEqual({ role, upstream: roles.filter((r) => stageOf(r) < stageOf(role)) })
        }
      }
    })
  })
}

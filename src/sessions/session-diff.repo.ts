import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import { outputConfidence, sessionTotals } from './session-json.ts'
import type { DiffSide } from './session-diff.ts'
import { listTasks, taskDecisionsByTask } from './task.repo.ts'

/** A session's tasks, their decisions and its cost, as `diffSessions` reads them (two round trips). */
export async function loadDiffSide(db: Kysely<Database>, sessionId: number): Promise<DiffSide> {
  const tasks = await listTasks(db, sessionId)
  const decisions = await taskDecisionsByTask(db, tasks.map((t) => t.id))
  return {
    id: sessionId,
    cost_usd: sessionTotals(tasks).cost_usd,
    tasks: tasks.map((t) => ({
      agent_role: t.agent_role,
      status: t.status,
      output_data: t.output_data,
      confidence: t.status === 'completed' || t.status === 'awaiting_review' ? outputConfidence(t.output_data) : null,
      decisions: (decisions.get(t.id) ?? []).map((d) => d.decision_text),
    })),
  }
}

import type { Kysely } from 'kysely'
import type { AgentTask, Database, ExecutionSession, TaskDecision } from '../db/index.ts'
import { listDecisions } from './decision.repo.ts'
import { type FindingJson, listFindings } from './findings.repo.ts'
import type { DecisionJson } from './session-json.ts'
import { listTasks, taskDecisionsByTask } from './task.repo.ts'

/** What a session's design document is made of, as stored. */
export interface DesignDocumentRows {
  session: ExecutionSession
  team_name: string
  /** The username of whoever started it; null when that user is gone. */
  started_by: string | null
  /** In creation order (ids), which is plan order. */
  tasks: AgentTask[]
  task_decisions: Map<number, TaskDecision[]>
  /** The whole journal, oldest first. */
  decisions: DecisionJson[]
  /** The cross-role consistency findings, in the order the rules found them. */
  findings: FindingJson[]
}

/** Reads everything the design document shows; null when there is no such session. */
export async function loadDesignDocument(db: Kysely<Database>, sessionId: number): Promise<DesignDocumentRows | null> {
  const session = await db.selectFrom('execution_sessions').selectAll().where('id', '=', sessionId).executeTakeFirst()
  if (!session) return null
  const [team, starter, tasks, decisions, findings] = await Promise.all([
    db.selectFrom('teams').select('name').where('id', '=', session.team_id).executeTakeFirst(),
    db.selectFrom('users').select('username').where('id', '=', session.user_id).executeTakeFirst(),
    listTasks(db, sessionId),
    listDecisions(db, sessionId),
    listFindings(db, sessionId),
  ])
  const task_decisions = await taskDecisionsByTask(db, tasks.map((t) => t.id))
  return { session, team_name: team?.name ?? '', started_by: starter?.username ?? null, tasks, task_decisions, decisions, findings }
}

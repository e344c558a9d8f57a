import { type RawBuilder, sql, type Transaction } from 'kysely'
import type { AgentRole } from '../agents/index.ts'
import type { Database } from '../db/index.ts'
import type { NewSessionEvent } from '../events/index.ts'
import { checkConsistency, type ConsistencyResult } from './check.ts'
import type { SessionOutputs } from './finding.ts'

/** What the statement that ends a session writes for its consistency check. */
export interface SessionCheckWrite {
  result: ConsistencyResult
  /** The `consistency_checked` event, to append before the session's end event. */
  event: Extract<NewSessionEvent, { type: 'consistency_checked' }>
  /** Inserts the findings, only while the session is still active (a CTE of the ending statement); null with no finding. */
  insertFindings: RawBuilder<unknown> | null
}

/**
 * Reads the session's completed outputs in `trx` and checks them, for the supervision step
 * that ends the session `completed`. The findings insert is guarded by the session still being
 * `active` in the statement's snapshot: the statement that ends it is the only one that records
 * them, so a step replayed after the end records nothing twice.
 */
export async function prepareSessionCheck(trx: Transaction<Database>, sessionId: number): Promise<SessionCheckWrite> {
  const rows = await trx
    .selectFrom('agent_tasks')
    .select(['agent_role', 'output_data'])
    .where('session_id', '=', sessionId)
    .where('status', '=', 'completed')
    .where('output_data', 'is not', null)
    .execute()
  const outputs: SessionOutputs = {}
  for (const row of rows) outputs[row.agent_role as AgentRole] = row.output_data
  const result = checkConsistency(outputs)
  const { findings } = result
  const insertFindings =
    findings.length === 0
      ? null
      : sql`insert into consistency_findings (session_id, rule, severity, roles, message)
          select ${sessionId}, f.rule, f.severity, f.roles::jsonb, f.message
          from unnest(${findings.map((f) => f.rule)}::text[], ${findings.map((f) => f.severity)}::text[],
            ${findings.map((f) => JSON.stringify(f.roles))}::text[], ${findings.map((f) => f.message)}::text[]) with ordinality as f(rule, severity, roles, message, n)
          where exists (select 1 from execution_sessions s where s.id = ${sessionId} and s.status = 'active')
          order by f.n`
  return {
    result,
    event: { type: 'consistency_checked', data: { score: result.score, errors: result.errors, warnings: result.warnings } },
    insertFindings,
  }
}

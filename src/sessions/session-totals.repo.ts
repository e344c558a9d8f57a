import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import { type SessionTotals, sessionTotals } from './session-json.ts'

/** The tokens and cost of each of `sessionIds`, summed over its tasks (zero for a session with none). */
export async function sessionTotalsById(db: Kysely<Database>, sessionIds: number[]): Promise<Map<number, SessionTotals>> {
  const out = new Map<number, SessionTotals>(sessionIds.map((id) => [id, sessionTotals([])]))
  if (sessionIds.length === 0) return out
  const rows = await db
    .selectFrom('agent_tasks')
    .select(['session_id', 'input_tokens', 'output_tokens', 'cost_usd'])
    .where('session_id', 'in', sessionIds)
    .orderBy('id')
    .execute()
  const bySession = new Map<number, typeof rows>()
  for (const r of rows) bySession.set(r.session_id, [...(bySession.get(r.session_id) ?? []), r])
  for (const [id, tasks] of bySession) out.set(id, sessionTotals(tasks))
  return out
}

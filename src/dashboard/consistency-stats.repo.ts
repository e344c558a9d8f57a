import { type Kysely, sql } from 'kysely'
import type { Database } from '../db/index.ts'

/** A consistency rule by how often it found something. */
export interface RuleFrequency {
  rule: string
  /** Findings of this rule, whatever their status. */
  findings: number
  /** Sessions with at least one. */
  sessions: number
}

/**
 * The rules that find the most, over one team or every team `userId` belongs to: findings
 * (open, resolved or dismissed: what the check found, not what was done about it) and sessions
 * per rule, most frequent first, at most `limit`.
 */
export async function frequentRules(db: Kysely<Database>, scope: { userId: number; teamId: number | null }, limit = 5): Promise<RuleFrequency[]> {
  const teams =
    scope.teamId === null
      ? sql`select id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
      : sql`select ${scope.teamId}::bigint`
  const { rows } = await sql<{ rule: string; findings: unknown; sessions: unknown }>`
    select f.rule, count(*) as findings, count(distinct f.session_id) as sessions
    from consistency_findings f join execution_sessions s on s.id = f.session_id
    where s.team_id in (${teams})
    group by f.rule order by count(*) desc, f.rule limit ${limit}`.execute(db)
  return rows.map((r) => ({ rule: r.rule, findings: Number(r.findings), sessions: Number(r.sessions) }))
}

import { type Kysely, type RawBuilder, sql } from 'kysely'
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
  return frequentRulesOf((await frequentRulesQuery(scope, limit).execute(db)).rows)
}

/** The query of {@link frequentRules}. */
export function frequentRulesQuery(scope: { userId: number; teamId: number | null }, limit = 5): RawBuilder<Record<string, unknown>> {
  const teams =
    scope.teamId === null
      ? sql`select id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
      : sql`select ${scope.teamId}::bigint`
  return sql<Record<string, unknown>>`
    select f.rule, count(*) as findings, count(distinct f.session_id) as sessions
    from consistency_findings f join execution_sessions s on s.id = f.session_id
    where s.team_id in (${teams})
    group by f.rule order by count(*) desc, f.rule limit ${limit}`
}

/** Its rows (from the driver or as JSON) → the rules. */
export function frequentRulesOf(rows: Record<string, unknown>[]): RuleFrequency[] {
  return rows.map((r) => ({ rule: String(r.rule), findings: Number(r.findings), sessions: Number(r.sessions) }))
}

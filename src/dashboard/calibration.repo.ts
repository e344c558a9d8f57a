import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from '../db/index.ts'
import type { ChartScope } from './chart-data.repo.ts'

/** One confidence bin of a role: the tasks reviewed with a confidence in [from, to) (the last bin includes 1), and how many were approved on their first review. */
export interface CalibrationBin {
  from: number
  to: number
  reviewed: number
  approved: number
}

/** A role's calibration: its bins and the Brier score of confidence against approval on first review (null before any review). */
export interface RoleCalibration {
  agent_role: string
  reviewed: number
  approved: number
  bins: CalibrationBin[]
  brier_score: number | null
}

/** One first review: the role, the confidence of the attempt reviewed, and whether it was approved. */
export interface FirstReview {
  agent_role: string
  confidence: number
  approved: boolean
}

const EDGES = [0, 0.2, 0.4, 0.6, 0.8, 1]

/**
 * Per role (in first-seen order of `reviews`): the five confidence bins (0–0.2 … 0.8–1) with the
 * reviewed tasks and approvals in each, and the Brier score, the mean of (confidence − approved)².
 */
export function calibrate(reviews: readonly FirstReview[]): RoleCalibration[] {
  const roles = new Map<string, FirstReview[]>()
  for (const r of reviews) roles.set(r.agent_role, [...(roles.get(r.agent_role) ?? []), r])
  return [...roles].map(([agent_role, rows]) => {
    const bins = EDGES.slice(0, -1).map((from, i) => ({ from, to: EDGES[i + 1] as number, reviewed: 0, approved: 0 }))
    let squared = 0
    for (const r of rows) {
      const bin = bins[Math.min(4, Math.max(0, Math.floor(r.confidence * 5)))] as CalibrationBin
      bin.reviewed += 1
      if (r.approved) bin.approved += 1
      squared += (r.confidence - (r.approved ? 1 : 0)) ** 2
    }
    const approved = rows.filter((r) => r.approved).length
    return { agent_role, reviewed: rows.length, approved, bins, brier_score: rows.length ? Math.round((squared / rows.length) * 1e4) / 1e4 : null }
  })
}

/**
 * Each reviewed task's first verdict in the scope's sessions, with the confidence of the attempt it
 * judged (from that attempt's `task_review_requested` event: later attempts overwrite the output).
 */
export async function firstReviews(db: Kysely<Database>, scope: ChartScope): Promise<FirstReview[]> {
  return firstReviewsOf((await firstReviewsQuery(scope).execute(db)).rows)
}

/** The query of {@link firstReviews}. */
export function firstReviewsQuery(scope: ChartScope): RawBuilder<Record<string, unknown>> {
  const teams =
    scope.teamId !== null
      ? sql`select ${scope.teamId}::bigint`
      : sql`select id from teams where owner_id = ${scope.userId} union select team_id from team_memberships where user_id = ${scope.userId}`
  return sql<Record<string, unknown>>`
    with first as (
      select distinct on (r.task_id) r.task_id, r.attempt, r.verdict, t.agent_role, t.session_id
        from task_reviews r join agent_tasks t on t.id = r.task_id join execution_sessions s on s.id = t.session_id
       where s.team_id in (${teams})
       order by r.task_id, r.id)
    select f.agent_role, (e.data->>'confidence')::float8 as confidence, f.verdict = 'approve' as approved
      from first f join session_events e on e.session_id = f.session_id and e.type = 'task_review_requested'
       and (e.data->>'task_id')::bigint = f.task_id and (e.data->>'attempt')::int = f.attempt
     where jsonb_typeof(e.data->'confidence') = 'number'
     order by f.task_id`
}

/** Its rows (from the driver or as JSON) → the first verdicts. */
export function firstReviewsOf(rows: Record<string, unknown>[]): FirstReview[] {
  return rows.map((r) => ({ agent_role: String(r.agent_role), confidence: Number(r.confidence), approved: r.approved === true }))
}

/** The scope's calibration per role (API.md `GET /api/dashboard/teams/:id/calibration`). */
export async function calibration(db: Kysely<Database>, scope: ChartScope): Promise<RoleCalibration[]> {
  return calibrate(await firstReviews(db, scope))
}

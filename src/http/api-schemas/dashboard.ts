import { z } from 'zod'
import { Count, Fraction, Id, Timestamp, Usd } from './common.ts'
import { TaskStatus } from './sessions.ts'

/** API.md `/api/dashboard`: aggregates over the caller's teams. */
export const DashboardStats = z
  .object({
    teams: Count,
    sessions: z.object({ total: Count, active: Count, completed: Count, failed: Count, cancelled: Count }),
    tasks: z.object({ total: Count, completed: Count, failed: Count }),
    decisions: Count,
    avg_session_seconds: z.number().nullable(),
    input_tokens: Count,
    output_tokens: Count,
    cost_usd: Usd,
    consistency_score: z.number().min(0).max(100).nullable(),
  })
  .describe('Totals over the caller’s teams.')

/** Task counts of one role in one team. */
export const RoleStats = z.object({
  agent_role: z.string(),
  total: Count,
  completed: Count,
  failed: Count,
  success_rate: Fraction.nullable(),
  mean_duration_seconds: z.number().nullable(),
  input_tokens: Count,
  output_tokens: Count,
  cost_usd: Usd,
})

/** `/api/dashboard/teams/:id/stats`. */
export const TeamStats = DashboardStats.extend({
  team_id: Id,
  success_rate: Fraction.nullable(),
  mean_task_seconds: z.number().nullable(),
  roles: z.array(RoleStats),
}).describe('One team’s totals, with per-role counts.')

/** `/api/dashboard/teams/:id/decisions`: one of a team's recent decisions. */
export const RecentDecision = z.object({
  source: z.enum(['journal', 'agent']),
  id: Id,
  session_id: Id,
  feature_name: z.string(),
  agent_role: z.string().nullable(),
  decision_text: z.string(),
  category: z.string().nullable(),
  confidence: z.string().nullable(),
  rationale: z.string().nullable(),
  created_at: Timestamp,
})

export const RecentDecisionList = z.array(RecentDecision).describe('A team’s recent decisions, newest first.')

/** `/api/dashboard/teams/:id/agents`: one role's track record. */
export const AgentStats = z.object({
  agent_role: z.string(),
  last_status: TaskStatus.nullable(),
  tasks_run: Count,
  mean_confidence: z.number().nullable().describe('Mean of the confidence the agent reported; null when none did.'),
  input_tokens: Count,
  output_tokens: Count,
  cost_usd: Usd,
})

export const AgentStatsList = z.array(AgentStats).describe('Per role: last status, tasks run, mean confidence, tokens and cost.')

/** One confidence bin of a role's calibration. */
export const CalibrationBin = z.object({
  from: Fraction,
  to: Fraction,
  reviewed: Count.describe('Reviewed tasks whose confidence fell in this bin.'),
  approved: Count,
})

/** `/api/dashboard/teams/:id/calibration`: per role, how well confidence predicts approval. */
export const RoleCalibration = z.object({
  agent_role: z.string(),
  reviewed: Count.describe('Tasks of this role reviewed at least once (their first review counts).'),
  approved: Count.describe('Of those, approved on their first review.'),
  bins: z.array(CalibrationBin).describe('0–0.2 … 0.8–1.'),
  brier_score: z.number().min(0).max(1).nullable().describe('Of confidence against approval; null before any review.'),
})

export const Calibration = z.array(RoleCalibration).describe('Per role: confidence bins with reviewed tasks and approvals, and the Brier score.')

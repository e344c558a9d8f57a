/** One attempt of one task, from its snapshot's execution metadata. */
export interface AttemptRecord {
  outcome: 'completed' | 'failed'
  repaired: boolean
  /** `output` when the model's answer failed its schema even after the repair; `provider`, `abort`, … otherwise. */
  error_kind: string | null
  duration_ms: number | null
}

/** One task of one brief's session. */
export interface TaskRecord {
  role: string
  status: string
  retries: number
  input_tokens: number
  output_tokens: number
  cost_usd: number
  decisions: number
  attempts: AttemptRecord[]
  /** Verdicts in order, or null when the server keeps no reviews (the route is absent). */
  verdicts: string[] | null
}

/** One brief's run. */
export interface BriefRecord {
  brief: string
  session_id: number
  status: string
  consistency_score: number | null
  tasks: TaskRecord[]
  expectations: { checked: number; met: number; missed: string[]; unchecked: string[] }
}

/** The figures of a group of tasks (one role, or the whole suite). Rates are 0..1; null prints as "n/a". */
export interface GroupFigures {
  tasks: number
  completed: number
  failed: number
  first_try_valid_rate: number | null
  repair_rate: number | null
  retries: number
  input_tokens: number
  output_tokens: number
  cost_usd: number
  latency_p50_ms: number | null
  latency_p99_ms: number | null
  decisions_per_agent: number | null
  review_free_rate: number | null
  consistency_score: number | null
}

/** Everything `sage eval` reports. */
export interface EvalFigures {
  briefs: number
  sessions: { completed: number; failed: number; other: number }
  expectations_met_rate: number | null
  suite: GroupFigures
  roles: Record<string, GroupFigures>
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 4)
}

/** The nearest-rank percentile `p` (0..100) of `values`; null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] as number
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : round(values.reduce((a, b) => a + b, 0) / values.length, 2)
}

/** The figures of `tasks`; `consistency` is the suite's session scores (empty for a role: n/a). */
export function groupFigures(tasks: TaskRecord[], consistency: number[]): GroupFigures {
  const attempts = tasks.flatMap((t) => t.attempts)
  const completedAttempts = attempts.filter((a) => a.outcome === 'completed')
  // An attempt that got an answer from the model: it completed, or its answer failed the schema.
  const answered = attempts.filter((a) => a.outcome === 'completed' || a.error_kind === 'output')
  const firstTryValid = completedAttempts.filter((a) => !a.repaired).length
  const completed = tasks.filter((t) => t.status === 'completed')
  const reviewed = tasks.filter((t) => t.verdicts !== null && t.verdicts.length > 0)
  const latencies = completedAttempts.map((a) => a.duration_ms).filter((d): d is number => d !== null)
  return {
    tasks: tasks.length,
    completed: completed.length,
    failed: tasks.filter((t) => t.status === 'failed').length,
    first_try_valid_rate: rate(firstTryValid, answered.length),
    repair_rate: rate(completedAttempts.filter((a) => a.repaired).length, completedAttempts.length),
    retries: tasks.reduce((n, t) => n + t.retries, 0),
    input_tokens: tasks.reduce((n, t) => n + t.input_tokens, 0),
    output_tokens: tasks.reduce((n, t) => n + t.output_tokens, 0),
    cost_usd: round(tasks.reduce((n, t) => n + t.cost_usd, 0), 6),
    latency_p50_ms: percentile(latencies, 50),
    latency_p99_ms: percentile(latencies, 99),
    decisions_per_agent: completed.length === 0 ? null : round(completed.reduce((n, t) => n + t.decisions, 0) / completed.length, 2),
    review_free_rate: rate(reviewed.filter((t) => t.verdicts?.[0] === 'approve').length, reviewed.length),
    consistency_score: mean(consistency),
  }
}

/** The suite's figures, per role (in the order roles first appear) and overall. */
export function computeFigures(records: BriefRecord[]): EvalFigures {
  const tasks = records.flatMap((r) => r.tasks)
  const roles: Record<string, GroupFigures> = {}
  for (const role of [...new Set(tasks.map((t) => t.role))]) roles[role] = groupFigures(tasks.filter((t) => t.role === role), [])
  const checked = records.reduce((n, r) => n + r.expectations.checked, 0)
  const met = records.reduce((n, r) => n + r.expectations.met, 0)
  return {
    briefs: records.length,
    sessions: {
      completed: records.filter((r) => r.status === 'completed').length,
      failed: records.filter((r) => r.status === 'failed').length,
      other: records.filter((r) => r.status !== 'completed' && r.status !== 'failed').length,
    },
    expectations_met_rate: rate(met, checked),
    suite: groupFigures(tasks, records.map((r) => r.consistency_score).filter((s): s is number => s !== null)),
    roles,
  }
}

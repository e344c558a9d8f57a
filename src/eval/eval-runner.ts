import type { SuiteBrief } from './eval-brief.ts'
import type { AttemptRecord, BriefRecord, TaskRecord } from './eval-figures.ts'

/** The part of an API client the runner uses (the CLI's ApiClient is one). */
export interface EvalApi {
  call<T = unknown>(method: string, path: string, options?: { body?: unknown }): Promise<T>
}

/** How a suite runs. */
export interface RunSuiteOptions {
  teamId: number
  /** Sessions in flight at once. */
  concurrency: number
  /** How often a running session is looked at. */
  pollMs?: number
  /** Called as each brief ends. */
  onBrief?(record: BriefRecord): void
}

interface TaskJson {
  id: number
  agent_role: string
  status: string
  retry_count: number
  input_tokens: number
  output_tokens: number
  cost_usd?: number | null
  output_data: unknown
  decisions?: unknown[]
}

interface SnapshotJson {
  execution_metadata: { outcome?: string; repaired?: boolean; error_kind?: string; duration_ms?: number } | null
}

function attemptOf(snapshot: SnapshotJson): AttemptRecord {
  const m = snapshot.execution_metadata ?? {}
  return {
    outcome: m.outcome === 'completed' ? 'completed' : 'failed',
    repaired: m.repaired === true,
    error_kind: m.error_kind ?? null,
    duration_ms: typeof m.duration_ms === 'number' ? m.duration_ms : null,
  }
}

/**
 * Every attempt of a task, oldest first, from `GET /api/tasks/:id/snapshots`. A server without
 * that route gives only the latest (`/snapshot`); the earlier attempts are then known only by
 * count (from `retry_count`), as failures of unknown kind.
 */
async function attemptsOf(api: EvalApi, task: TaskJson): Promise<AttemptRecord[]> {
  const all = await api.call<SnapshotJson[]>('GET', `/api/tasks/${task.id}/snapshots`).catch(() => null)
  if (all) return all.map(attemptOf)
  if (task.status === 'pending' || task.status === 'skipped' || task.status === 'cancelled') return []
  const latest = await api.call<{ snapshot: SnapshotJson }>('GET', `/api/tasks/${task.id}/snapshot`).catch(() => null)
  const earlier: AttemptRecord[] = Array.from({ length: task.retry_count }, () => ({ outcome: 'failed', repaired: false, error_kind: null, duration_ms: null }))
  return latest ? [...earlier, attemptOf(latest.snapshot)] : earlier
}

/** The brief's `expect.nouns`, each looked for (case-insensitive) in the session's outputs. */
function checkExpectations(expect: Record<string, unknown>, tasks: TaskJson[]): BriefRecord['expectations'] {
  const text = tasks.map((t) => JSON.stringify(t.output_data ?? '')).join('\n').toLowerCase()
  const nouns = Array.isArray(expect.nouns) ? expect.nouns.filter((n): n is string => typeof n === 'string') : []
  const missed = nouns.filter((n) => !text.includes(n.toLowerCase()))
  return { checked: nouns.length, met: nouns.length - missed.length, missed, unchecked: Object.keys(expect).filter((k) => k !== 'nouns').sort() }
}

async function runBrief(api: EvalApi, item: SuiteBrief, options: RunSuiteOptions): Promise<BriefRecord> {
  const { brief } = item
  const body = {
    team_id: options.teamId,
    feature_name: brief.feature_name,
    description: brief.description,
    plan: brief.plan,
    ...(brief.agents ? { agents: brief.agents } : {}),
  }
  const { session } = await api.call<{ session: { id: number } }>('POST', '/api/sessions', { body })
  let detail: { session: { id: number; status: string; consistency_score?: number | null }; tasks: TaskJson[] }
  for (;;) {
    detail = await api.call('GET', `/api/sessions/${session.id}`)
    if (detail.session.status !== 'active') break
    await Bun.sleep(options.pollMs ?? 200)
  }
  const tasks = await api.call<TaskJson[]>('GET', `/api/sessions/${session.id}/tasks`)
  const records: TaskRecord[] = []
  for (const task of tasks) {
    const attempts = await attemptsOf(api, task)
    // Servers without reviews answer 404 here: the figure is then n/a, not 0.
    const reviews = await api.call<Array<{ verdict: string }>>('GET', `/api/tasks/${task.id}/reviews`).catch(() => null)
    records.push({
      role: task.agent_role,
      status: task.status,
      retries: task.retry_count,
      input_tokens: task.input_tokens,
      output_tokens: task.output_tokens,
      cost_usd: task.cost_usd ?? 0,
      decisions: task.decisions?.length ?? 0,
      attempts,
      verdicts: reviews ? reviews.map((r) => r.verdict) : null,
    })
  }
  return {
    brief: item.name,
    session_id: session.id,
    status: detail.session.status,
    consistency_score: typeof detail.session.consistency_score === 'number' ? detail.session.consistency_score : null,
    tasks: records,
    expectations: checkExpectations(brief.expect, tasks),
  }
}

/** Runs every brief through the API (`concurrency` at a time) to its end; records in the suite's order. */
export async function runSuite(api: EvalApi, suite: SuiteBrief[], options: RunSuiteOptions): Promise<BriefRecord[]> {
  const results = new Array<BriefRecord>(suite.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < suite.length) {
      const index = next++
      const record = await runBrief(api, suite[index] as SuiteBrief, options)
      results[index] = record
      options.onBrief?.(record)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, suite.length)) }, worker))
  return results
}

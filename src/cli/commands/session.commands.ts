import { formatCost } from '../agent-board.ts'
import type { ApiClient } from '../api-client.ts'
import { EXIT } from '../cli-error.ts'
import { parseId, resolveTeam } from '../cli-context.ts'
import { type CliIo, println } from '../cli-io.ts'
import { followSession } from '../follow-session.ts'
import { formatTable, oneLine } from '../table-format.ts'

/** What `run` and `estimate` send about the feature. */
export interface FeatureFlags {
  team: string
  description?: string
  plan?: string
  agents?: string[]
}

/** Flags of `sage run`. */
export interface RunFlags extends FeatureFlags {
  review?: string
  budget?: number
  /** undefined = follow when stdout is a terminal. */
  follow?: boolean
  json?: boolean
}

interface SessionJson {
  id: number
  team_id: number
  feature_name: string
  plan: string
  status: string
  started_at: string | null
  duration_seconds: number | null
  cost_usd?: number | null
}

interface TaskJson {
  id: number
  agent_role: string
  status: string
  retry_count: number
  input_tokens: number
  output_tokens: number
  cost_usd?: number | null
  duration_seconds: number | null
  error_message: string | null
}

/** `--review all|none|role,role` as the API takes it. */
function reviewValue(review: string): string | string[] {
  return review === 'all' || review === 'none' ? review : review.split(',').map((r) => r.trim()).filter(Boolean)
}

/** The feature part of a `POST /api/sessions` or `/estimate` body. */
export async function featureBody(client: ApiClient, feature: string, flags: FeatureFlags): Promise<Record<string, unknown>> {
  const team = await resolveTeam(client, flags.team)
  return {
    team_id: team.id,
    feature_name: feature,
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.plan !== undefined ? { plan: flags.plan } : {}),
    ...(flags.agents !== undefined ? { agents: flags.agents } : {}),
  }
}

/** `sage run`: starts a session and, on a terminal or with --follow, follows it to its end (exit 0 completed, 1 failed). */
export async function runCommand(io: CliIo, client: ApiClient, feature: string, flags: RunFlags): Promise<number> {
  const body = {
    ...(await featureBody(client, feature, flags)),
    ...(flags.review !== undefined ? { review: reviewValue(flags.review) } : {}),
    ...(flags.budget !== undefined ? { budget_usd: flags.budget } : {}),
  }
  const { session } = await client.call<{ session: SessionJson }>('POST', '/api/sessions', { body })
  const follow = flags.follow ?? (io.stdout.isTTY === true && !flags.json)
  if (!follow) {
    println(io, flags.json ? JSON.stringify({ session }) : `session ${session.id} started (${session.plan}); follow it with: sage follow ${session.id}`)
    return EXIT.ok
  }
  return followSession(io, client, session.id, { live: io.stdout.isTTY === true })
}

/** `sage follow ID`: follows a session that is already running (or replays an ended one). */
export async function followCommand(io: CliIo, client: ApiClient, id: string): Promise<number> {
  return followSession(io, client, parseId(id, 'session id'), { live: io.stdout.isTTY === true })
}

/** Flags of `sage sessions`. */
export interface SessionsFlags {
  team?: string
  status?: string
  limit?: number
  json?: boolean
}

/** `sage sessions`: the caller's sessions, newest first, as a table or JSON. */
export async function sessionsCommand(io: CliIo, client: ApiClient, flags: SessionsFlags): Promise<number> {
  const query = new URLSearchParams()
  if (flags.team !== undefined) query.set('team_id', String((await resolveTeam(client, flags.team)).id))
  if (flags.status !== undefined) query.set('status', flags.status)
  query.set('limit', String(flags.limit ?? 25))
  const page = await client.call<{ sessions: SessionJson[]; next_cursor: string | null }>('GET', `/api/sessions?${query}`)
  if (flags.json) {
    println(io, JSON.stringify(page, null, 2))
    return EXIT.ok
  }
  const rows = page.sessions.map((s) => [
    String(s.id),
    s.status,
    s.plan,
    String(s.team_id),
    s.started_at ?? '',
    s.duration_seconds === null ? '' : `${s.duration_seconds}s`,
    oneLine(s.feature_name, 60),
  ])
  for (const line of formatTable(['ID', 'STATUS', 'PLAN', 'TEAM', 'STARTED', 'TOOK', 'FEATURE'], rows)) println(io, line)
  if (page.sessions.length === 0) println(io, 'no sessions')
  return EXIT.ok
}

/** `sage show ID`: a session, its tasks and the size of its journal. */
export async function showCommand(io: CliIo, client: ApiClient, id: string, flags: { json?: boolean }): Promise<number> {
  const detail = await client.call<{ session: SessionJson & { description: string }; tasks: TaskJson[]; decisions: unknown[] }>(
    'GET',
    `/api/sessions/${parseId(id, 'session id')}`,
  )
  if (flags.json) {
    println(io, JSON.stringify(detail, null, 2))
    return EXIT.ok
  }
  const s = detail.session
  println(io, `session ${s.id}: ${oneLine(s.feature_name, 100)}`)
  println(io, `status ${s.status}, plan ${s.plan}, team ${s.team_id}, started ${s.started_at ?? '-'}`)
  if (s.description) println(io, oneLine(s.description, 200))
  const rows = detail.tasks.map((t) => [
    String(t.id),
    t.agent_role,
    t.status,
    String(t.retry_count),
    String(t.input_tokens + t.output_tokens),
    formatCost(t.cost_usd),
    t.duration_seconds === null ? '' : `${t.duration_seconds}s`,
    oneLine(t.error_message, 60),
  ])
  for (const line of formatTable(['TASK', 'ROLE', 'STATUS', 'RETRIES', 'TOKENS', 'COST', 'TOOK', 'ERROR'], rows)) println(io, line)
  println(io, `${detail.decisions.length} decision(s) in the journal`)
  return EXIT.ok
}

import pc from 'picocolors'
import type { CliEvent } from './event-follower.ts'

/** A task as the API returns it (the fields the board reads). */
export interface BoardTask {
  id: number
  agent_role: string
  status: string
  started_at: string | null
  completed_at: string | null
  input_tokens: number
  output_tokens: number
  /** Absent on servers that do not price tasks yet. */
  cost_usd?: number | null
  retry_count: number
}

/** One agent's line. */
export interface AgentRow {
  role: string
  taskId: number
  status: string
  attempt: number
  startedAt: number | null
  endedAt: number | null
  /** Characters streamed so far in the running attempt. */
  chars: number
  inputTokens: number
  outputTokens: number
  costUsd: number | null
}

/** The live state of one session: its agents in plan order and the outcome once it ended. */
export interface Board {
  sessionId: number
  feature: string
  status: string
  rows: AgentRow[]
}

/** Characters a typical structured answer has; the running bar fills toward it (never past 95%). */
const TYPICAL_OUTPUT_CHARS = 4000

const ENDED_TASK = new Set(['completed', 'failed', 'skipped', 'cancelled'])

function time(iso: string | null): number | null {
  return iso ? Date.parse(iso) : null
}

/** A board from the session and tasks of `GET /api/sessions/:id`. */
export function createBoard(session: { id: number; feature_name: string; status: string }, tasks: BoardTask[]): Board {
  return {
    sessionId: session.id,
    feature: session.feature_name,
    status: session.status,
    rows: tasks.map((t) => ({
      role: t.agent_role,
      taskId: t.id,
      status: t.status,
      attempt: t.retry_count + 1,
      startedAt: time(t.started_at),
      endedAt: ENDED_TASK.has(t.status) ? time(t.completed_at) : null,
      chars: 0,
      inputTokens: t.input_tokens,
      outputTokens: t.output_tokens,
      costUsd: t.cost_usd ?? null,
    })),
  }
}

/** Applies one event to the board (in place) and returns it. Unknown events change nothing. */
export function applyEvent(board: Board, event: CliEvent): Board {
  const role = typeof event.data.agent_role === 'string' ? event.data.agent_role : null
  const row = role ? board.rows.find((r) => r.role === role) : undefined
  const at = Date.parse(event.at)
  const attempt = typeof event.data.attempt === 'number' ? event.data.attempt : null
  switch (event.type) {
    case 'task_started':
      if (row) Object.assign(row, { status: 'running', startedAt: row.startedAt ?? at, endedAt: null, chars: 0, attempt: attempt ?? row.attempt })
      break
    case 'task_progress':
      if (row && typeof event.data.chars === 'number') row.chars = event.data.chars
      // Tokens and cost so far while the model streams (newer events carry them).
      if (row && typeof event.data.output_tokens === 'number') row.outputTokens = event.data.output_tokens
      if (row && typeof event.data.cost_usd === 'number') row.costUsd = event.data.cost_usd
      break
    case 'task_retrying':
      if (row) Object.assign(row, { status: 'retrying', chars: 0 })
      break
    case 'task_completed':
      if (row) Object.assign(row, { status: 'completed', endedAt: at })
      break
    case 'task_failed':
      if (row) Object.assign(row, { status: 'failed', endedAt: at })
      break
    case 'session_completed':
    case 'session_failed':
    case 'session_cancelled':
      board.status = event.type.slice('session_'.length)
      for (const r of board.rows) {
        if (r.status === 'pending' || r.status === 'running' || r.status === 'retrying') {
          r.status = event.type === 'session_failed' ? 'skipped' : event.type === 'session_cancelled' ? 'cancelled' : r.status
          r.endedAt ??= at
        }
      }
      break
    default:
      break
  }
  return board
}

/** Copies a task's recorded tokens, cost and status onto its row (after it ended). */
export function applyTask(board: Board, task: BoardTask): void {
  const row = board.rows.find((r) => r.taskId === task.id)
  if (!row) return
  row.inputTokens = task.input_tokens
  row.outputTokens = task.output_tokens
  row.costUsd = task.cost_usd ?? null
  if (ENDED_TASK.has(task.status)) row.status = task.status
}

/** How full the row's bar is, 0..1. */
export function progressOf(row: AgentRow): number {
  if (row.status === 'completed') return 1
  if (row.status === 'running' || row.status === 'retrying') return Math.min(0.95, row.chars / TYPICAL_OUTPUT_CHARS)
  return 0
}

/** A bar of `width` cells. */
export function bar(fraction: number, width: number): string {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width)
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`
}

/** Seconds as `4.2s` or `1m05s`. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 60) return `${s.toFixed(1)}s`
  return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
}

/** USD with 4 decimals, or `–` when unknown. */
export function formatCost(usd: number | null | undefined): string {
  return usd === null || usd === undefined ? '–' : `$${usd.toFixed(4)}`
}

const STATUS_ICON: Record<string, string> = {
  pending: '·',
  running: '▶',
  retrying: '↻',
  completed: '✓',
  failed: '✗',
  skipped: '-',
  cancelled: '-',
}

function paint(status: string, text: string): string {
  if (status === 'completed') return pc.green(text)
  if (status === 'failed') return pc.red(text)
  if (status === 'running' || status === 'retrying') return pc.cyan(text)
  return pc.dim(text)
}

/** The board as terminal lines: a header, then one line per agent (status, bar, tokens, cost, elapsed). */
export function renderBoard(board: Board, now: number): string[] {
  const width = Math.max(...board.rows.map((r) => r.role.length), 5)
  const header = `${pc.bold(`session ${board.sessionId}`)} ${board.feature} ${pc.dim(`(${board.status})`)}`
  const lines = board.rows.map((r) => {
    const elapsed = r.startedAt === null ? '' : formatElapsed((r.endedAt ?? now) - r.startedAt)
    const tokens = r.inputTokens + r.outputTokens
    const attempt = r.attempt > 1 ? pc.yellow(` try ${r.attempt}`) : ''
    return [
      paint(r.status, `${STATUS_ICON[r.status] ?? '?'} ${r.role.padEnd(width)}`),
      paint(r.status, r.status.padEnd(9)),
      paint(r.status, bar(progressOf(r), 20)),
      `${String(tokens).padStart(6)} tok`,
      formatCost(r.costUsd).padStart(8),
      elapsed.padStart(7),
    ].join('  ').trimEnd() + attempt
  })
  return [header, ...lines]
}

import { formatOffset, parseTime, roleLabel } from '../format.ts'
import type { TaskStatus } from '../view-types.ts'
import { linearScale, px, timeTicks } from './scale.ts'

/** What the Gantt chart needs of a task. */
export interface GanttTask {
  id: number
  agent_role: string
  status: TaskStatus
  started_at: string | null
  completed_at: string | null
  retry_count: number
}

/** Input of {@link ganttLayout}. */
export interface GanttInput {
  /** The plan's stages (roles per stage, first first), as the route computed them. */
  stages: string[][]
  tasks: GanttTask[]
  session_started_at: string | null
  session_ended_at: string | null
  /** The render time: the right edge while the session runs, the end of running bars. */
  now: string
  /** When each retry happened, if known (from `task_retrying` events). */
  retries?: { task_id: number; at: string }[]
  /** Replay position: a vertical line at this instant. */
  cursor_at?: string | null
}

/** One agent's row. */
export interface GanttRow {
  task_id: number
  role: string
  label: string
  stage: number
  y: number
  status: TaskStatus
  /** Null while the task has not started. */
  bar: { x: number; width: number } | null
  start_offset: number | null
  end_offset: number | null
  retry_marks: number[]
  retry_count: number
}

/** A band of rows that run in the same plan stage. */
export interface GanttStage {
  index: number
  label: string
  y: number
  height: number
}

/** Everything the SVG needs, in viewBox units. */
export interface GanttLayout {
  width: number
  height: number
  plot: { x0: number; x1: number; y0: number; y1: number }
  row_height: number
  bar_height: number
  rows: GanttRow[]
  stages: GanttStage[]
  ticks: { x: number; label: string }[]
  cursor_x: number | null
  total_seconds: number
}

const WIDTH = 720
const LABEL_WIDTH = 184
const RIGHT_PAD = 28
const AXIS_HEIGHT = 26
const ROW_HEIGHT = 30
const BAR_HEIGHT = 16
const MIN_BAR = 3

/**
 * The geometry of a session timeline: one row per task grouped into plan-stage bands, bars from
 * start to end (to `now` while running), retry marks, time ticks and an optional cursor.
 */
export function ganttLayout(input: GanttInput): GanttLayout {
  const now = parseTime(input.now) ?? 0
  const starts = input.tasks.map((t) => parseTime(t.started_at)).filter((t): t is number => t !== null)
  const ends = input.tasks.map((t) => parseTime(t.completed_at)).filter((t): t is number => t !== null)
  const t0 = parseTime(input.session_started_at) ?? (starts.length ? Math.min(...starts) : now)
  const sessionEnd = parseTime(input.session_ended_at)
  // A finished session ends at its end time; a live one at `now`. Never shorter than a second.
  const t1 = Math.max(sessionEnd ?? now, ...ends, ...starts, t0 + 1000)
  const total = (t1 - t0) / 1000

  const x0 = LABEL_WIDTH
  const x1 = WIDTH - RIGHT_PAD
  const x = linearScale(0, total, x0, x1)
  const offset = (ms: number): number => Math.min(total, Math.max(0, (ms - t0) / 1000))

  const byRole = new Map(input.tasks.map((t) => [t.agent_role, t]))
  // Roles the plan does not place (unknown ids) get a last stage of their own.
  const placed = new Set(input.stages.flat())
  const extra = input.tasks.map((t) => t.agent_role).filter((r) => !placed.has(r))
  const stages = [...input.stages, ...(extra.length ? [extra] : [])].filter((s) => s.some((r) => byRole.has(r)))
  const rows: GanttRow[] = []
  const bands: GanttStage[] = []
  let y = AXIS_HEIGHT
  stages.forEach((roles, stageIndex) => {
    const bandTop = y
    for (const role of roles) {
      const task = byRole.get(role)
      if (!task) continue
      const s = parseTime(task.started_at)
      let bar: GanttRow['bar'] = null
      let startOffset: number | null = null
      let endOffset: number | null = null
      if (s !== null) {
        const e = parseTime(task.completed_at) ?? (task.status === 'running' ? Math.max(now, s) : s)
        startOffset = offset(s)
        endOffset = offset(e)
        const bx = x(startOffset)
        bar = { x: px(bx), width: px(Math.max(MIN_BAR, x(endOffset) - bx)) }
      }
      const marks = (input.retries ?? [])
        .filter((r) => r.task_id === task.id)
        .map((r) => parseTime(r.at))
        .filter((t): t is number => t !== null)
        .map((t) => px(x(offset(t))))
      rows.push({
        task_id: task.id,
        role,
        label: roleLabel(role),
        stage: stageIndex + 1,
        y,
        status: task.status,
        bar,
        start_offset: startOffset,
        end_offset: endOffset,
        retry_marks: marks,
        retry_count: task.retry_count,
      })
      y += ROW_HEIGHT
    }
    bands.push({ index: stageIndex + 1, label: `Stage ${stageIndex + 1}`, y: bandTop, height: y - bandTop })
  })

  const cursorMs = parseTime(input.cursor_at ?? null)
  return {
    width: WIDTH,
    height: Math.max(y, AXIS_HEIGHT + ROW_HEIGHT) + 8,
    plot: { x0, x1, y0: AXIS_HEIGHT, y1: Math.max(y, AXIS_HEIGHT + ROW_HEIGHT) },
    row_height: ROW_HEIGHT,
    bar_height: BAR_HEIGHT,
    rows,
    stages: bands,
    ticks: timeTicks(total).map((t) => ({ x: px(x(t)), label: formatOffset(t) })),
    cursor_x: cursorMs === null ? null : px(x(offset(cursorMs))),
    total_seconds: total,
  }
}
